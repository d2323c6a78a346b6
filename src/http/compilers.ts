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

type NumericType = 'integer' | 'number';

/**
 * What a string must look like to stand for a number. Ajv's coercion takes whatever JavaScript's
 * `Number()` reads: `1e3`, `1.0`, `0x10` and ` 2` all pass as integers. A client that sends those
 * most likely sent something else than it meant, and Rails (whose "Must be Integer" the Datonis
 * page quotes) refuses them: an integer is decimal digits after an optional minus sign.
 */
const WRITTEN_AS: Record<NumericType, RegExp> = {
  integer: /^-?\d+$/,
  number: /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/,
};

/** The numeric type a property's schema asks for, when it admits no string; undefined otherwise. */
function numericType(schema: unknown): NumericType | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const { type, anyOf } = schema as { type?: unknown; anyOf?: unknown[] };
  const types = [type, ...(anyOf ?? []).map((branch) => (branch as { type?: unknown } | null)?.type)].flat();
  if (types.includes('string')) return undefined;
  if (types.includes('integer')) return 'integer';
  return types.includes('number') ? 'number' : undefined;
}

/** The top-level properties of a part's schema that hold numbers (or arrays of them), by type. */
function numericProperties(schema: object): [string, NumericType][] {
  const properties = (schema as { properties?: Record<string, unknown> }).properties ?? {};
  return Object.entries(properties).flatMap(([name, property]) => {
    const type = numericType(property) ?? numericType((property as { items?: unknown } | null)?.items);
    return type ? [[name, type] as [string, NumericType]] : [];
  });
}

/** The first numeric property sent as text that is not a number written in decimal, as Ajv reports a type error. */
function misspeltNumber(data: unknown, properties: readonly [string, NumericType][]): ValidateFunction['errors'] {
  if (data === null || typeof data !== 'object') return null;
  for (const [name, type] of properties) {
    const value = (data as Record<string, unknown>)[name];
    const texts = (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
    if (texts.every((text) => WRITTEN_AS[type].test(text))) continue;
    const message = type === 'integer' ? 'must be an integer, in decimal digits' : 'must be a number, in decimal notation';
    return [{ instancePath: `/${name}`, schemaPath: `#/properties/${name}/type`, keyword: 'type', params: { type }, message }];
  }
  return null;
}

/**
 * The parts of a request that are text by nature, which Ajv would turn into numbers. A JSON body
 * has numbers of its own (Datonis's body parameters are validated with its query string).
 */
const COERCED_PARTS = new Set(['querystring', 'params']);

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  let compiled: ValidateFunction | undefined;
  const numbers = COERCED_PARTS.has(httpPart ?? '') ? numericProperties(schema) : [];
  const validate: Validator = (data) => {
    const misspelt = numbers.length === 0 ? null : misspeltNumber(data, numbers);
    if (misspelt) {
      validate.errors = misspelt;
      return false;
    }
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
