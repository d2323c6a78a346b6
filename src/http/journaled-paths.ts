/**
 * Whether the journal keeps the requests to this path: all but the control plane's and the docs'.
 * A call answered on a replica's view is checked by its journal entry (http/optimistic-calls.ts),
 * so both read this one rule.
 */
export function journaled(url: string): boolean {
  return !url.startsWith('/__mock/') && !url.startsWith('/docs');
}
