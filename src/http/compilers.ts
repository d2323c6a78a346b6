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
 * A copy of a schema, each of its (sub)schemas copied and then given to `adjust`. The copy is what
 * is compiled; the routes keep their schemas, which the OpenAPI documents show as written.
 */
function adjustedCopy(schema: unknown, adjust: (copy: Record<string, unknown>) => void): unknown {
  if (Array.isArray(schema)) return schema.map((item) => adjustedCopy(item, adjust));
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (VALUE_KEYWORDS.has(key)) copy[key] = value;
    else if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object') {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, adjustedCopy(inner, adjust)]));
    } else copy[key] = adjustedCopy(value, adjust);
  }
  adjust(copy);
  return copy;
}

/**
 * Every number and integer also asks to be finite: the keyword is checked where the validator
 * checks each number, so no hook walks a request.
 */
function withFiniteNumbers(schema: unknown): unknown {
  return adjustedCopy(schema, (copy) => {
    const types = [copy.type].flat();
    if (types.includes('number') || types.includes('integer')) copy[FINITE] = true;
  });
}

/**
 * fast-json-stringify writes an object's required fields before its optional ones. Where that
 * would change the declared order (Plaspy's user: four required fields among optional ones, in the
 * page's order), the serializer's copy declares none required, so the fields go out as declared.
 */
function inDeclaredOrder(schema: unknown): unknown {
  return adjustedCopy(schema, (copy) => {
    const required = copy.required;
    const properties = copy.properties;
    if (!Array.isArray(required) || properties === null || typeof properties !== 'object') return;
    const names = Object.keys(properties);
    const firstOptional = names.findIndex((name) => !required.includes(name));
    if (firstOptional !== -1 && names.slice(firstOptional).some((name) => required.includes(name))) delete copy.required;
  });
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
    serialize = fastJson(inDeclaredOrder(schema) as Parameters<typeof fastJson>[0]) as (data: unknown) => string;
    serializers.set(schema, serialize);
  }
  return serialize;
}

/** Fastify reads a failed validation's errors from the function, as Ajv leaves them on its own. */
type Validator = ((data: unknown) => boolean) & { errors?: ValidateFunction['errors'] };

type ScalarType = 'integer' | 'number' | 'boolean';

/**
 * What a parameter of a scalar type may be sent as, the same wherever it arrives (a query string
 * is text; a JSON body has numbers and booleans of its own). Apipie's validators, which the Rails
 * providers' pages quote ("Must be a Integer"), take an integer or a string of decimal digits and
 * nothing else: not `true` or `[2]`, which Ajv's coercion would turn into 1 and 2, and not what
 * JavaScript's `Number()` reads as an integer (`1e3`, `1.0`, `0x10`, ` 2`). A boolean is `true` or
 * `false`, sent as such or as text: not 1 or 0 in one place and refused in the other.
 */
const SENT_AS: Record<ScalarType, (value: unknown) => boolean> = {
  integer: (value) => (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value)),
  number: (value) => typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)),
  boolean: (value) => typeof value === 'boolean' || value === 'true' || value === 'false',
};

const SENT_AS_MESSAGE: Record<ScalarType, string> = {
  integer: 'must be an integer, in decimal digits',
  number: 'must be a number, in decimal notation',
  boolean: 'must be a boolean: true or false',
};

/** The scalar type a property's schema asks for, when it admits no string; undefined otherwise. */
function scalarType(schema: unknown): ScalarType | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const { type, anyOf } = schema as { type?: unknown; anyOf?: unknown[] };
  const types = [type, ...(anyOf ?? []).map((branch) => (branch as { type?: unknown } | null)?.type)].flat();
  if (types.includes('string') || types.includes('array') || types.includes('object')) return undefined;
  return (['integer', 'number', 'boolean'] as const).find((scalar) => types.includes(scalar));
}

interface ScalarProperty {
  name: string;
  type: ScalarType;
  /** A list whose every item is of the type, rather than one value. */
  list: boolean;
}

/** The top-level properties of a part's schema that hold a scalar (or a list of them). */
function scalarProperties(schema: object): ScalarProperty[] {
  const properties = (schema as { properties?: Record<string, unknown> }).properties ?? {};
  return Object.entries(properties).flatMap(([name, property]): ScalarProperty[] => {
    const one = scalarType(property);
    if (one) return [{ name, type: one, list: false }];
    const item = numericItems(property);
    return item ? [{ name, type: item, list: true }] : [];
  });
}

function numericItems(property: unknown): ScalarType | undefined {
  const items = (property as { type?: unknown; items?: unknown } | null)?.items;
  const type = scalarType(items);
  return type === 'boolean' ? undefined : type;
}

/** The first scalar property not sent as its type may be, reported as Ajv reports a type error. */
function misspeltScalar(data: unknown, properties: readonly ScalarProperty[]): ValidateFunction['errors'] {
  if (data === null || typeof data !== 'object') return null;
  for (const { name, type, list } of properties) {
    const value = (data as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const sent = list ? (Array.isArray(value) ? value : [value]) : [value];
    if (sent.every(SENT_AS[type])) continue;
    return [{ instancePath: `/${name}`, schemaPath: `#/properties/${name}/type`, keyword: 'type', params: { type }, message: SENT_AS_MESSAGE[type] }];
  }
  return null;
}

/**
 * The parts of a request that are text by nature, which Ajv would turn into numbers and booleans.
 * A JSON body has its own (the Rails providers' body parameters are validated with the query string).
 */
const COERCED_PARTS = new Set(['querystring', 'params']);

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  let validator: ValidateFunction | undefined;
  const scalars = COERCED_PARTS.has(httpPart ?? '') ? scalarProperties(schema) : [];
  const validate: Validator = (data) => {
    const misspelt = scalars.length === 0 ? null : misspeltScalar(data, scalars);
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
