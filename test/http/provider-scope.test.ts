import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { MockHttpError } from '../../src/http/http-error.js';
import { providerScope } from '../../src/http/provider-scope.js';
import { RefusalRecorder } from '../../src/http/request-recording.js';
import { installRequestSlots } from '../../src/http/request-slot.js';
import { ShutdownTracker } from '../../src/http/shutdown.js';
import { type Provider, type ProviderStore, defineProvider } from '../../src/provider.js';
import { FaultRegistry } from '../../src/state/faults.js';

/** A provider declared for the test: a key in `X-Key`, a `page` that must be an integer, a count of admitted calls. */
class CountingStore implements ProviderStore {
  admitted = 0;
  reset(): void {
    this.admitted = 0;
  }
  demoCredentials() {
    return [];
  }
}

function declared(identifyWhen: 'arrival' | 'validated', withAdmit = true): Provider {
  return defineProvider({
    slug: 'toy',
    title: 'Toy',
    serverUrl: 'https://toy.example',
    pathPrefixes: ['/toy'],
    credential: (request) => request.headers['x-key'] as string | undefined,
    identifyWhen,
    identify: (request: FastifyRequest, _store: CountingStore) => {
      if (request.headers['x-key'] !== 'good') throw new MockHttpError(401, 'who are you');
      return { name: 'caller-one' };
    },
    admit: withAdmit
      ? (identity: { name: string }, store: CountingStore) => {
          store.admitted++;
          if (store.admitted > 2) throw new MockHttpError(429, 'slow down');
          // a promise, as a shared state answers
          return Promise.resolve({ caller: { ...identity, call: store.admitted }, headers: { 'X-Calls': String(store.admitted) } });
        }
      : undefined,
    routes: (scope, _store, caller) => {
      scope.get('/toy/me', { schema: { querystring: Type.Object({ page: Type.Optional(Type.Integer()) }) } }, (request, reply) => {
        reply.send(caller(request));
      });
    },
    errorFormat: () => (error) => ({ body: { toyError: error.message, status: error.statusCode } }),
    errorEnvelope: () => Type.Object({ toyError: Type.String() }),
    securitySchemes: {},
    createStore: () => new CountingStore(),
  });
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function serve(provider: Provider) {
  const app = Fastify();
  apps.push(app);
  installRequestSlots(app);
  const store = new CountingStore();
  const routes = new Set<string>();
  const faults = new FaultRegistry(1);
  const breaking = { shutdown: new ShutdownTracker(), refusals: new RefusalRecorder() };
  await app.register(providerScope(provider, { store, faults, routes, breaking }));
  await app.ready();
  return { app, store, routes, faults };
}

describe('the provider pipeline', () => {
  it('serves the handler the admitted caller, with the admission headers, and lists the routes for faults', async () => {
    const { app, routes } = await serve(declared('arrival'));
    const answer = await app.inject({ url: '/toy/me', headers: { 'x-key': 'good' } });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ name: 'caller-one', call: 1 });
    expect(answer.headers['x-calls']).toBe('1');
    expect([...routes]).toContain('/toy/me');
  });

  it('identifying on arrival: a wrong credential is a 401 before a malformed parameter is a 400', async () => {
    const { app, store } = await serve(declared('arrival'));
    const answer = await app.inject({ url: '/toy/me?page=abc', headers: { 'x-key': 'bad' } });
    expect(answer.statusCode).toBe(401);
    expect(answer.json()).toEqual({ toyError: 'who are you', status: 401 });
    expect(store.admitted).toBe(0);
  });

  it('identifying once validated: a malformed parameter is a 400 before a wrong credential is a 401', async () => {
    const { app } = await serve(declared('validated'));
    const answer = await app.inject({ url: '/toy/me?page=abc', headers: { 'x-key': 'bad' } });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ status: 400 });
    expect((await app.inject({ url: '/toy/me', headers: { 'x-key': 'bad' } })).statusCode).toBe(401);
  });

  it('admits only valid calls: a 400 counts nothing, and a refusal is in the provider format', async () => {
    const { app, store } = await serve(declared('arrival'));
    expect((await app.inject({ url: '/toy/me?page=abc', headers: { 'x-key': 'good' } })).statusCode).toBe(400);
    expect(store.admitted).toBe(0);
    await app.inject({ url: '/toy/me', headers: { 'x-key': 'good' } });
    await app.inject({ url: '/toy/me', headers: { 'x-key': 'good' } });
    const refused = await app.inject({ url: '/toy/me', headers: { 'x-key': 'good' } });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ toyError: 'slow down', status: 429 });
  });

  it('without admit, serves the identified caller as is', async () => {
    const { app } = await serve(declared('arrival', false));
    expect((await app.inject({ url: '/toy/me', headers: { 'x-key': 'good' } })).json()).toEqual({ name: 'caller-one' });
  });

  it('applies a Prefer header and a fault before identifying, in the provider format', async () => {
    const { app, store, faults } = await serve(declared('validated'));
    const preferred = await app.inject({ url: '/toy/me', headers: { 'x-key': 'bad', prefer: 'code=503' } });
    expect(preferred.statusCode).toBe(503);
    expect(preferred.json()).toMatchObject({ status: 503 });
    faults.add({ provider: 'toy', status: 502, message: 'forced', credential: 'good', times: 1 });
    const forced = await app.inject({ url: '/toy/me', headers: { 'x-key': 'good' } });
    expect(forced.json()).toEqual({ toyError: 'forced', status: 502 });
    expect(store.admitted).toBe(0);
    expect((await app.inject({ url: '/toy/me', headers: { 'x-key': 'good' } })).statusCode).toBe(200);
  });
});
