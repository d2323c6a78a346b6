import { Ajv, _, type KeywordCxt, type ValidateFunction } from 'ajv';
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
/**
 * JSON bodies say their types themselves: `{"created_at": true}`, `[1]` or `"1e3"` where a number
 * is asked for is a 400, not a value coerced and stored.
 */
const strictAjv = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
for (const instance of [ajv, strictAjv]) addFormats.default(instance);

/**
 * Refuses Infinity where a schema asks for a number. JSON reads 1e400 as Infinity, and Ajv's type
 * coercion turns "1e309" or "Infinity" into it and lets it pass as an integer. Once stored, such a
 * value cannot be serialized, and every later answer that shows it would fail. Ajv's own
 * `strictNumbers` refuses an Infinity that was sent, not one its coercion made.
 */
const FINITE = 'finite';
for (const instance of [ajv, strictAjv]) {
  instance.addKeyword({
    keyword: FINITE,
    type: 'number',
    schemaType: 'boolean',
    error: { message: 'must be a finite number' },
    code: (cxt: KeywordCxt) => cxt.fail(_`!isFinite(${cxt.data})`),
  });
}

/** Keywords whose values are data (a default, an example), not schemas. */
const VALUE_KEYWORDS = new Set(['const', 'default', 'enum', 'example', 'examples']);
/** Keywords whose values map names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions']);

/**
 * A copy of a schema whose every number and integer also asks to be finite: the keyword is checked
 * where the validator checks each number, so no hook walks a request. The copy is what is compiled;
 * the routes keep their schemas, which the OpenAPI documents show as written.
 */
function withFiniteNumbers(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withFiniteNumbers);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (VALUE_KEYWORDS.has(key)) copy[key] = value;
    else if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object') {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, withFiniteNumbers(inner)]));
    } else copy[key] = withFiniteNumbers(value);
  }
  const types = [copy.type].flat();
  if (types.includes('number') || types.includes('integer')) copy[FINITE] = true;
  return copy;
}

/** Each schema's copy, made once: Ajv keeps one compiled validator per schema object. */
const finiteCopies = new WeakMap<object, object>();

function compiled(schema: object, compiler: Ajv): ValidateFunction {
  let copy = finiteCopies.get(schema);
  if (!copy) {
    copy = withFiniteNumbers(schema) as object;
    finiteCopies.set(schema, copy);
  }
  return compiler.compile(copy);
}

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
  let validator: ValidateFunction | undefined;
  const numbers = COERCED_PARTS.has(httpPart ?? '') ? numericProperties(schema) : [];
  const validate: Validator = (data) => {
    const misspelt = numbers.length === 0 ? null : misspeltNumber(data, numbers);
    if (misspelt) {
      validate.errors = misspelt;
      return false;
    }
    validator ??= compiled(schema, httpPart === 'body' ? strictAjv : ajv);
    const valid = validator(data);
    validate.errors = validator.errors;
    return valid;
  };
  return validate;
};

export const serializerCompiler: FastifySerializerCompiler<object> = ({ schema }) => {
  let serialize: ((data: unknown) => string) | undefined;
  return (data) => (serialize ??= serializerOf(schema))(data);
};
