import type { FastifyReply } from 'fastify';

/** The content type Fastify gives an answer its serializer writes. */
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Text kept per object while the object lives. Stores never change a record in place (a change
 * makes a new object), so the text serialized for a record once stays right for it. Datonis keeps
 * each user's text and joins a page from them: 48 µs of CPU per datonis-plain answer against 111
 * serializing the page each time (`npm run bench:compare`, 3 rounds, logging silent). Datafiniti's
 * one-account answer gained nothing measurable from it and is serialized each time.
 */
export class KeptText<K extends object> {
  private readonly kept = new WeakMap<K, string>();

  get(key: K, make: () => string): string {
    let text = this.kept.get(key);
    if (text === undefined) {
      text = make();
      this.kept.set(key, text);
    }
    return text;
  }
}

/** A payload as the route's own serializer writes it (the text the route would send). */
export function serializeText(reply: FastifyReply, payload: unknown): string {
  const out = reply.serialize(payload);
  return typeof out === 'string' ? out : Buffer.from(out instanceof ArrayBuffer ? new Uint8Array(out) : out).toString('utf8');
}

/** Sends text the route's own serializer wrote earlier, as it is, with the type Fastify gives JSON. */
export function sendSerialized(reply: FastifyReply, text: string): FastifyReply {
  return reply.header('content-type', JSON_TYPE).send(text);
}

/**
 * A serialized answer whose integer fields `names` (usage counters) change at every call while the
 * rest stays: the answer is serialized once with those fields at 0, and each call puts the current
 * values where the zeros were, written as the serializer writes whole numbers. `of` answers
 * undefined when a field is not found exactly once, top-level (then serialize in full instead).
 * CPU per answer, kept against serialized in full (`npm run bench:compare`, 3 rounds, silent):
 * Plaspy's list of 50 users 67 against 200 µs, Plaspy get 37 against 43, Fingerbank 50 against 55.
 */
export class LiveIntegers {
  private constructor(private readonly parts: string[]) {}

  static of(serialized: string, names: readonly string[]): LiveIntegers | undefined {
    const parts: string[] = [];
    let from = 0;
    for (const name of names) {
      const marker = `"${name}":0`;
      const at = serialized.indexOf(marker);
      if (at < from || serialized.lastIndexOf(marker) !== at) return undefined;
      const end = at + marker.length;
      if (serialized[end] !== ',' && serialized[end] !== '}') return undefined;
      parts.push(serialized.slice(from, end - 1));
      from = end;
    }
    parts.push(serialized.slice(from));
    return new LiveIntegers(parts);
  }

  /** The answer with these values, in the order of the names; undefined for a value that is no whole number. */
  fill(values: readonly number[]): string | undefined {
    let text = this.parts[0]!;
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (!Number.isInteger(value)) return undefined;
      text += value + this.parts[i + 1]!;
    }
    return text;
  }
}
