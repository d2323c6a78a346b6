/** The one maxmemory-policy under which a full Redis refuses writes rather than dropping keys. */
const SAFE_POLICY = 'noeviction';

/**
 * What is wrong with Redis's memory policy for a shared state, from `INFO memory`; undefined when
 * it refuses writes once full (`noeviction`). Any other policy drops keys when Redis is full: a
 * change log, a fault or a counter that replicas acknowledged would vanish.
 */
export function evictionProblem(info: string, store: string): string | undefined {
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy === undefined || policy === SAFE_POLICY) return undefined;
  return `${store} has maxmemory-policy ${policy}: once full it evicts keys, and with them records, counters and faults already acknowledged`;
}
