import type { StoredUser, User } from './schemas.js';
import { USER_FIELDS } from './schemas.js';

/** `2015/11/25 09:39:09`, UTC, as the documented str format shows. */
function formatTimestamp(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ').replaceAll('-', '/');
}

/** A stored user as answered: timestamps in the asked format, only the asked fields, in the documented order. */
export function presentUser(user: StoredUser, timestampFormat: 'int' | 'str', fields: readonly string[] | undefined): User {
  const out: Record<string, unknown> = {};
  for (const field of USER_FIELDS) {
    if (fields && !fields.includes(field)) continue;
    const value = user[field as keyof StoredUser];
    if (value === undefined) continue;
    out[field] =
      timestampFormat === 'str' && (field === 'created_at' || field === 'updated_at')
        ? formatTimestamp(value as number)
        : value;
  }
  return out as User;
}
