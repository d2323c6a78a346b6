import { type Static, Type } from '@sinclair/typebox';
import type { Fault, FaultSpec } from '../state/faults.js';
import { MockHttpError } from '../http/http-error.js';
import type { TypedScope } from '../http/typed-scope.js';
import type { MockRuntime } from '../runtime.js';
import { controlErrors } from './errors.js';
import type { ControlLimits } from './limits.js';
import { TAGS, faultSchema, faultSpecSchema, providerSlugSchema } from './schemas.js';

export const ClearedSchema = Type.Object({ cleared: Type.Integer({ description: 'Faults cleared' }) });

export function registerFaultRoutes(scope: TypedScope, runtime: MockRuntime, slugs: readonly string[], limits: ControlLimits): void {
  const ProviderFilter = Type.Object({ provider: Type.Optional(providerSlugSchema(slugs)) });
  const FaultSchema = faultSchema(slugs);
  /** A fault as the state keeps it is one the route accepted: its provider is one of the slugs. */
  const asShown = (fault: Fault) => fault as Static<typeof FaultSchema>;

  scope.post(
    '/__mock/faults',
    {
      schema: {
        tags: TAGS,
        summary: 'Make a provider (or one of its routes) fail or slow down',
        description:
          'Matching requests (by `route`, `method`, `credential`) answer `status` in the provider’s own error format with `headers`, after `delayMs`, or break the `connection`, for the next `times` requests or with a `probability`. A `sequence` gives each matching call the next step (`{"pass": true}` answers normally), then ends, or starts again with `repeat`. Faults apply in the order they were added; the first that matches wins.',
        body: faultSpecSchema(slugs),
        response: { 201: FaultSchema, ...controlErrors(422) },
      },
    },
    async (request, reply) => {
      const spec = request.body as FaultSpec;
      const bytes = jsonBytes(spec);
      if (bytes > limits.faultBytes) {
        throw new MockHttpError(422, `A fault may take at most ${limits.faultBytes} bytes as JSON, and this one takes ${bytes}: shorten its message, headers or sequence`);
      }
      const inForce = await runtime.state.faults.list();
      if (inForce.length >= limits.faults) {
        throw new MockHttpError(422, `At most ${limits.faults} faults may be in force at once; DELETE /__mock/faults clears them`);
      }
      const held = inForce.reduce((sum, fault) => sum + jsonBytes(fault), 0);
      if (held + bytes > limits.faultsBytes) {
        throw new MockHttpError(
          422,
          `The faults in force may take at most ${limits.faultsBytes} bytes as JSON together; they take ${held}, and this one ${bytes} more; DELETE /__mock/faults clears them`,
        );
      }
      checkFault(spec);
      const routes = runtime.routes.get(spec.provider) ?? new Set<string>();
      if (spec.route !== undefined && !routes.has(spec.route)) {
        throw new MockHttpError(400, `No route '${spec.route}' in ${spec.provider}; its routes: ${[...routes].join(', ')}`);
      }
      return reply.code(201).send(asShown(await runtime.state.faults.add(spec)));
    },
  );

  scope.get(
    '/__mock/faults',
    {
      schema: {
        tags: TAGS,
        summary: 'The faults in force',
        querystring: ProviderFilter,
        response: { 200: Type.Array(FaultSchema), ...controlErrors() },
      },
    },
    async (request) => (await runtime.state.faults.list(request.query.provider)).map(asShown),
  );

  scope.delete(
    '/__mock/faults',
    {
      schema: {
        tags: TAGS,
        summary: 'Clear faults (one provider’s, or all)',
        querystring: ProviderFilter,
        response: { 200: ClearedSchema, ...controlErrors() },
      },
    },
    async (request) => ({ cleared: await runtime.state.faults.clear(request.query.provider) }),
  );

  scope.delete(
    '/__mock/faults/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Clear one fault',
        params: Type.Object({ id: Type.String() }),
        response: { 204: Type.Null(), ...controlErrors(404) },
      },
    },
    async (request, reply) => {
      const removed = await runtime.state.faults.remove(request.params.id);
      if (!removed) throw new MockHttpError(404, `No fault '${request.params.id}'`);
      return reply.code(204).send(null);
    },
  );
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

const ACTION_FIELDS = ['status', 'message', 'delayMs', 'headers', 'connection'] as const;

/** Headers that frame the answer: set by a fault, they would break it in ways no server does (`connection` does that on purpose). */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer']);

function checkHeaders(headers: Record<string, string> | undefined, where: string): void {
  const framing = Object.keys(headers ?? {}).find((name) => FRAMING_HEADERS.has(name.toLowerCase()));
  if (framing) throw new MockHttpError(400, `${where} may not set the header '${framing}': it frames the answer (the connection field breaks it)`);
}

/** What the schema cannot say: a fault does something, through its own fields or a sequence, and each step does one thing. */
function checkFault(spec: FaultSpec): void {
  const own = ACTION_FIELDS.filter((field) => spec[field] !== undefined);
  checkHeaders(spec.headers, 'A fault');
  if (spec.sequence === undefined) {
    if (!own.some((field) => field !== 'message')) {
      throw new MockHttpError(400, 'A fault needs a status, a delayMs, headers, a connection, or a sequence');
    }
    if (spec.repeat !== undefined) throw new MockHttpError(400, 'Only a fault with a sequence may repeat');
    return;
  }
  if (own.length > 0) {
    throw new MockHttpError(400, `A fault with a sequence has its status, delay, headers and connection in its steps, not '${own.join("', '")}'`);
  }
  spec.sequence.forEach((step, index) => {
    const fields = ACTION_FIELDS.filter((field) => step[field] !== undefined);
    checkHeaders(step.headers, `Step ${index} of the sequence`);
    if (step.pass && fields.length > 0) throw new MockHttpError(400, `Step ${index} of the sequence passes, and cannot also have '${fields.join("', '")}'`);
    if (!step.pass && !fields.some((field) => field !== 'message')) {
      throw new MockHttpError(400, `Step ${index} of the sequence needs a status, a delayMs, headers, a connection, or pass: true`);
    }
  });
}
