import { Type, type SchemaOptions, type TUnsafe } from '@sinclair/typebox';

/**
 * A string that must be one of `values`, as a plain JSON-schema `enum`: validation errors then name
 * the allowed values, and OpenAPI shows them as an enum rather than a union of constants.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}
