import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { shown } from './checks.js';
import { CouldNotRun } from './http.js';

/** Strict: no coercion, no defaults; what `record` writes must already be what the mock serves. */
const ajv = new Ajv({ allErrors: false, strict: false });
addFormats.default(ajv);
const validators = new WeakMap<TSchema, ValidateFunction>();

/** The value at a JSON pointer, for the message. */
function at(value: unknown, pointer: string): unknown {
  let current = value;
  for (const part of pointer.split('/').slice(1)) {
    current = (current as Record<string, unknown> | undefined)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return current;
}

/**
 * Refuses records that the mock could not serve (a field of another type makes every answer that
 * shows it fail): the first field that does not fit, by its JSON pointer, with what the service sent.
 */
export function assertRecordable(content: unknown, schema: TSchema): void {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  if (validate(content)) return;
  const [error] = validate.errors ?? [];
  const pointer = error?.keyword === 'required' ? `${error.instancePath}/${String(error.params.missingProperty)}` : (error?.instancePath ?? '');
  const sent = error?.keyword === 'required' ? 'nothing' : shown(at(content, pointer));
  throw new CouldNotRun(`the service's data does not fit the mock's schema, nothing was written: ${pointer || '/'} ${error?.message ?? 'is invalid'}, the service sent ${sent}`);
}
