import { type Static, Type } from '@sinclair/typebox';
import { ClockRangeError, type ClockView, LATEST } from '../state/clock.js';
import { MockHttpError } from '../http/http-error.js';
import type { TypedScope } from '../http/typed-scope.js';
import type { MockRuntime } from '../runtime.js';
import { controlErrors } from './errors.js';
import { TAGS } from './schemas.js';

/** A hundred years, in milliseconds: further than any test needs to move time at once. */
const MAX_ADVANCE_MS = 100 * 365 * 24 * 3_600_000;

/** The latest instant a running time may be set to: a century before the end of 9999, so that it never runs past it. */
const LATEST_RUNNING = Date.UTC(9900, 0, 1);

const iso = (ms: number) => new Date(ms).toISOString();

export const RANGE = `The mock’s time stays between ${iso(0)} and ${iso(LATEST)}, and runs only before ${iso(LATEST_RUNNING)} (a later time must be frozen, "freeze": true), e.g. {"set": "2026-03-15T10:20:30Z"}`;

/** The instant `set` names, or a 400 when the format passes it but no date is there (`23:59:60Z`, a leap second). */
function instantOf(set: string): number {
  const instant = Date.parse(set);
  if (Number.isNaN(instant)) {
    throw new MockHttpError(400, `Invalid body 'set': '${set.slice(0, 40)}' is no instant (seconds run 00 to 59); e.g. "2026-03-15T10:20:30Z"`);
  }
  return instant;
}

export const ClockSchema = Type.Object(
  {
    now: Type.String({ format: 'date-time', description: 'The mock’s time now' }),
    offsetMs: Type.Integer({ description: 'How far the mock’s time is from real time, milliseconds' }),
    frozen: Type.Boolean({ description: 'Whether the mock’s time stands still' }),
  },
  { examples: [{ now: '2026-03-15T10:20:30.000Z', offsetMs: 0, frozen: false }] },
);

export const ClockChangeSchema = Type.Object(
  {
    set: Type.Optional(Type.String({ format: 'date-time', description: 'Set the mock’s time to this instant (ISO 8601)' })),
    advanceMs: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ADVANCE_MS, description: 'Move the mock’s time on, milliseconds' })),
    freeze: Type.Optional(Type.Boolean({ description: 'true: time stands still; false: time runs again from where it stands' })),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Applied in this order: set, advanceMs, freeze.',
    examples: [{ advanceMs: 60_000 }, { set: '2026-03-15T23:59:59Z', freeze: true }],
  },
);

type ClockAnswer = Static<typeof ClockSchema>;

function present(view: ClockView): ClockAnswer {
  return { now: new Date(view.now).toISOString(), offsetMs: Math.round(view.offsetMs), frozen: view.frozen };
}

/** `GET` and `POST /__mock/clock`: the mock's time, moved on, set, frozen or let run. */
export function registerClockRoutes(scope: TypedScope, runtime: MockRuntime): void {
  const time = runtime.state.time;
  scope.get(
    '/__mock/clock',
    {
      schema: {
        tags: TAGS,
        summary: 'The mock’s time',
        description: 'The time that rate-limit windows, usage counters and dates stamped on new records follow.',
        response: { 200: ClockSchema, ...controlErrors() },
      },
    },
    async () => present(await time.read()),
  );

  scope.post(
    '/__mock/clock',
    {
      schema: {
        tags: TAGS,
        summary: 'Move, set or freeze the mock’s time',
        description:
          'Moves the time every counter and window follows: `advanceMs` ends a rate-limit window or an hour, day or month of usage without waiting. Moving back is allowed: windows begun after the new time end, counters of a period left start from zero. `POST /__mock/reset` brings back the time of start-up (real time, or `--clock`).',
        body: ClockChangeSchema,
        response: { 200: ClockSchema, ...controlErrors() },
      },
    },
    async (request) => {
      const { set, advanceMs, freeze } = request.body;
      const instant = set === undefined ? undefined : instantOf(set);
      const before = await time.read();
      const after = (instant ?? before.now) + (advanceMs ?? 0);
      if (after > LATEST_RUNNING && after <= LATEST && !(freeze ?? before.frozen)) throw new MockHttpError(400, RANGE);
      try {
        return present(await time.change({ set: instant, advanceMs, freeze }));
      } catch (error) {
        if (error instanceof ClockRangeError) throw new MockHttpError(400, RANGE);
        throw error;
      }
    },
  );
}
