import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Pinning {
  /** The cores every server runs on (taskset's list form). */
  server: string;
  /** The cores of this process, the load generator. */
  load: string;
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Gives each server the last core and the load generator the others, when the machine has two or
 * more and taskset (util-linux): otherwise the scheduler moves both between the cores, and a
 * server's result depends on which of them it shares with the load generator at each moment.
 * Every server is pinned alike, so ratios compare like with like. Null when pinning is not possible.
 */
export function pinLoadGenerator(): Pinning | null {
  const cores = os.availableParallelism();
  if (cores < 2 || process.platform !== 'linux' || !hasTaskset()) return null;
  const pinning = { server: String(cores - 1), load: cores === 2 ? '0' : `0-${cores - 2}` };
  execFileSync('taskset', ['-a', '-cp', pinning.load, String(process.pid)], { stdio: 'ignore' });
  return pinning;
}

/** The command and arguments that start `command` on the server's cores. */
export function pinned(pinning: Pinning | null, command: string, args: string[]): { command: string; args: string[] } {
  return pinning ? { command: 'taskset', args: ['-c', pinning.server, command, ...args] } : { command, args };
}
