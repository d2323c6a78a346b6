import type { Control } from './control.js';
import type { Context, Endpoint } from './endpoints.js';
import type { LoadResult } from './load.js';

/** Counters read through the control plane: before the warm-up, after it, after the measured load. */
export interface Snapshot {
  journalId: number;
  plaspyUsage?: number;
  fingerbank?: Map<string, number>;
}

export async function snapshot(control: Control, endpoint: Endpoint, context: Context): Promise<Snapshot> {
  const taken: Snapshot = { journalId: await control.journalId() };
  if (endpoint.provider === 'plaspy') taken.plaspyUsage = await control.plaspyUsage(context.plaspyToken);
  if (endpoint.name === 'fingerbank') taken.fingerbank = await control.fingerbankRequests(context.fingerbankKeys);
  if (endpoint.name === 'fingerbank-429') taken.fingerbank = await control.fingerbankRequests([context.fingerbankLimitedKey]);
  return taken;
}

export interface Agreement {
  what: string;
  expected: number;
  actual: number;
  ok: boolean;
}

const sum = (map: Map<string, number> | undefined) => [...(map?.values() ?? [])].reduce((a, b) => a + b, 0);

function agree(what: string, expected: number, actual: number): Agreement {
  return { what, expected, actual, ok: expected === actual };
}

/**
 * What the mock counted against what the bench sent: every request in the journal, every Plaspy
 * call in apiUsage, every admitted Fingerbank call in `requests`, and never more than 250 a minute
 * admitted for one key.
 */
export function exactness(endpoint: Endpoint, snapshots: Snapshot[], result: LoadResult): Agreement[] {
  const [initial, before, after] = snapshots;
  if (!initial || !before || !after) return [agree('counter snapshots taken', 3, snapshots.length)];
  const checks = [agree('answers received = requests sent (no cut-off, no error)', 1, result.complete ? 1 : 0)];
  checks.push(agree('journal entries added = requests sent', result.requests, after.journalId - before.journalId));
  const ok = result.statuses['200'] ?? 0;
  if (endpoint.provider === 'plaspy') {
    checks.push(agree('Plaspy apiUsage added = calls made', result.requests, (after.plaspyUsage ?? 0) - (before.plaspyUsage ?? 0)));
  }
  if (endpoint.name === 'fingerbank') {
    checks.push(agree('Fingerbank requests added = calls answered 200', ok, sum(after.fingerbank) - sum(before.fingerbank)));
    const overLimit = [...(after.fingerbank?.entries() ?? [])].filter(
      ([key, count]) => count - (initial.fingerbank?.get(key) ?? count) > 250,
    ).length;
    checks.push(agree('keys admitted more than 250 times in their minute', 0, overLimit));
  }
  if (endpoint.name === 'fingerbank-429') {
    checks.push(agree('calls answered 429 = requests sent (the key spent)', result.requests, result.statuses['429'] ?? 0));
    checks.push(agree('calls the key was admitted in its minute', 250, sum(after.fingerbank) - sum(initial.fingerbank)));
  }
  return checks;
}
