import { type TObject, type TSchema, Type, TypeGuard } from '@sinclair/typebox';

/** Fields held to one value, by name; an object's own fields by a nested record. */
export interface Fixed {
  [name: string]: TSchema | Fixed;
}

/**
 * A provider's error envelope for one status, exactly, from the one schema its routes declare
 * (schemas.ts, which also feeds the OpenAPI documents): no field beside the declared ones, no empty
 * text, integers not negative, and the fields `fixed` names held to one value (the status, its
 * text). The error format writes its bodies to this schema; the suites check every error against it.
 */
export function exactEnvelope(schema: TObject, fixed: Fixed = {}): TObject {
  const properties: Record<string, TSchema> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    const held = fixed[name];
    if (held !== undefined && TypeGuard.IsSchema(held)) properties[name] = held;
    else if (TypeGuard.IsObject(property)) properties[name] = exactEnvelope(property, (held as Fixed | undefined) ?? {});
    else if (TypeGuard.IsString(property)) properties[name] = Type.String({ minLength: 1 });
    else if (TypeGuard.IsInteger(property)) properties[name] = Type.Integer({ minimum: 0 });
    else properties[name] = property;
  }
  return Type.Object(properties, { additionalProperties: false });
}
