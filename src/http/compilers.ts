import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';

/**
 * Validators and serializers compiled once per schema object and shared by every app built in the
 * process. Fastify would compile them again for each app, which is most of the time a test spends
 * building one. The Ajv options are Fastify's own, but additional properties are refused, not removed.
 * Each is compiled when a request first needs it, not at start-up: most routes (the control
 * plane's) are never called in most runs, and compiling them all was most of the start-up time.
 */
const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
addFormats.default(ajv);

const serializers = new WeakMap<object, (data: unknown) => string>();

function serializerOf(schema: object): (data: unknown) => string {
  let serialize = serializers.get(schema);
  if (!serialize) {
    serialize = fastJson(schema as Parameters<typeof fastJson>[0]) as (data: unknown) => string;
    serializers.set(schema, serialize);
  }
  return serialize;
}

/** Fastify reads a failed validation's errors from the function, as Ajv leaves them on its own. */
type Validator = ((data: unknown) => boolean) & { errors?: ValidateFunction['errors'] };

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema }) => {
  let compiled: ValidateFunction | undefined;
  const validate: Validator = (data) => {
    compiled ??= ajv.compile(schema);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  };
  return validate;
};

export const serializerCompiler: FastifySerializerCompiler<object> = ({ schema }) => {
  let serialize: ((data: unknown) => string) | undefined;
  return (data) => (serialize ??= serializerOf(schema))(data);
};
