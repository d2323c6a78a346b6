import { CONNECTION_FAULTS, type ConnectionFault, type FaultAction } from '../state/faults.js';

/** A `Prefer` header as the mock reads it: what it asks for, and what is wrong with it, if anything. */
interface Preference extends FaultAction {
  /** The name of a documented example to answer, as sent. */
  example?: string;
  /** The first preference the mock understands whose value it cannot honour, named for the caller. */
  problem?: string;
}

const MAX_DELAY_MS = 60_000;

/**
 * Prism's per-request override: `Prefer: code=429` answers that status, `Prefer: delay=200` adds
 * latency, `Prefer: connection=reset` breaks the connection, `Prefer: example=<name>` answers a
 * documented example; they combine (`Prefer: code=502, delay=100`). A preference the mock does not know, or whose value is not a number where one is
 * wanted, is ignored, as RFC 7240 asks; a known one with a value out of range is a `problem`
 * (whether the route can send a `code` is for the HTTP layer to say).
 */
export function parsePrefer(header: string | string[] | undefined): Preference | undefined {
  if (header === undefined) return undefined;
  const preference: Preference = {};
  const fail = (problem: string) => {
    preference.problem ??= problem;
  };
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(/[,;]/)) {
    const [rawName = '', rawValue = ''] = part.split('=').map((text) => text.trim());
    const name = rawName.toLowerCase();
    // an example's name is kept as sent; the other values are read whatever their case
    const sent = rawValue.replace(/^"|"$/g, '');
    const text = sent.toLowerCase();
    if (name === 'example') {
      preference.example = sent;
      continue;
    }
    if (name === 'connection') {
      if ((CONNECTION_FAULTS as readonly string[]).includes(text)) preference.connection = text as ConnectionFault;
      else fail(`Prefer: connection=${text} is not one of ${CONNECTION_FAULTS.join(', ')}`);
      continue;
    }
    if (name !== 'code' && name !== 'delay') continue;
    const value = Number(text);
    if (text === '' || Number.isNaN(value)) continue;
    if (name === 'code') {
      preference.status = value;
      if (!Number.isInteger(value) || value < 100 || value > 599) fail(`Prefer: code=${text} is not an HTTP status`);
    } else {
      preference.delayMs = value;
      if (!Number.isInteger(value) || value < 0 || value > MAX_DELAY_MS) {
        fail(`Prefer: delay=${text} is not a whole number of milliseconds from 0 to ${MAX_DELAY_MS}`);
      }
    }
  }
  const { status, delayMs, connection, example, problem } = preference;
  const none = status === undefined && delayMs === undefined && connection === undefined && example === undefined && problem === undefined;
  return none ? undefined : preference;
}
