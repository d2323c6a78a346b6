import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';

/**
 * Validators and serializers compiled once per schema object and shared by every app built in the
 * process. Fastify would compile them again for each app, which is most of the time a test spends
 * building one. The Ajv options are Fastify's own, but additional properties are refused, not removed.
 */
const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
addFormats.default(ajv);

const serializers = new WeakMap<object, (data: unknown) => string>();

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema }) => ajv.compile(schema);

export const serializerCompiler: FastifySerializerCompiler<object> = ({ schema }) => {
  let serialize = serializers.get(schema);
  if (!serialize) {
    serialize = fastJson(schema as Parameters<typeof fastJson>[0]) as (data: unknown) => string;
    serializers.set(schema, serialize);
  }
  return serialize;
};
