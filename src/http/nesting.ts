/**
 * How many levels of objects and arrays a request body may nest: `{"a":[1]}` is 2. Control-plane
 * bodies and Datonis GET bodies deeper than this are a 400 in the owner's format, and the journal
 * keeps such a body as a note: copying or serializing a deeper value recursively could overflow
 * the stack (a 5,000-level array is an 8 KB body).
 */
export const MAX_NESTING_DEPTH = 32;

/** Whether `value` nests objects or arrays deeper than `limit` levels; iterative, so safe at any depth. */
export function nestedDeeperThan(value: unknown, limit = MAX_NESTING_DEPTH): boolean {
  if (value === null || typeof value !== 'object') return false;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        values.push(child as object);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** The message of the 400 for a body nested too deep. */
export const TOO_DEEP = `The request body nests objects and arrays more than ${MAX_NESTING_DEPTH} levels deep`;
