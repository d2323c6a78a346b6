import { MockHttpError } from '../../http/http-error.js';
import { USER_FIELDS } from './schemas.js';

/**
 * The fields `field_list` asks for: names repeated or separated by commas. An empty list (`[]`,
 * `""`, or `null`, which the validator reads as `[""]`) asks for no particular field, so every
 * field is answered, as when the parameter is absent: an empty user is no answer anyone wants.
 */
export function requestedFields(fieldList: readonly string[] | undefined): string[] | undefined {
  if (fieldList === undefined) return undefined;
  const fields = fieldList.flatMap((item) => item.split(',')).map((field) => field.trim()).filter(Boolean);
  if (fields.length === 0) return undefined;
  const unknown = fields.filter((field) => !(USER_FIELDS as string[]).includes(field));
  if (unknown.length > 0) {
    throw new MockHttpError(400, `Unknown field in field_list: ${unknown.join(', ')}`);
  }
  return fields;
}
