// The framework's floor: a Fastify app with one catch-all route and nothing else (no schema, no
// hook), answering each request with the same bytes as the ceiling. The mock is a Fastify app, so
// this is as fast as it could be on this machine; the mock's distance to it is its own work.
// With `logging`, the same app logging each request with Fastify's defaults (`logger: true`: a line
// when the request arrives and one when it is answered, JSON to standard output, which the bench
// sends to a file): the floor to set against the mock with the logs its users run with.
// With `redis=<url>` (and `prefix=<key prefix>`), each answer waits for exactly one round trip to
// that Redis first: one script appending a fixed entry the size of a journal entry to a list and
// trimming it to its last 1,000, the least a replica sharing its state does per answer (`--replicas`).
// Usage: node bench/fastify-floor.mjs <port> <answers.json> [logging] [redis=<url>] [prefix=<prefix>]
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [port, file, ...flags] = process.argv.slice(2);
const flag = (name) => flags.find((text) => text.startsWith(`${name}=`))?.slice(name.length + 1);
/** @type {{ url: string, status: number, headers: Record<string, string>, body: string }[]} */
const captured = JSON.parse(readFileSync(file, 'utf8'));
const answers = new Map(captured.map((answer) => [answer.url, answer]));
const fallback = { status: 404, headers: {}, body: '' };

function send(request, reply) {
  const answer = answers.get(request.url) ?? fallback;
  reply.code(answer.status).headers(answer.headers).send(answer.body);
}

const app = Fastify({ logger: flags.includes('logging') });
const redisUrl = flag('redis');
if (redisUrl) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl);
  redis.defineCommand('floorJournal', {
    numberOfKeys: 1,
    lua: "redis.call('RPUSH', KEYS[1], ARGV[1])\nredis.call('LTRIM', KEYS[1], -1000, -1)",
  });
  const key = `${flag('prefix') ?? 'fastify-floor:'}journal`;
  // 600 bytes of JSON, shaped like one of the mock's journal entries (`GET /__mock/requests`)
  const shape = {
    time: '2026-01-01T00:00:00.000Z', provider: 'plaspy', method: 'GET', path: '/api/users/1', query: {},
    headers: { host: '127.0.0.1', authorization: '[redacted]', 'user-agent': 'autocannon' },
    body: null, status: 200, credential: 'sha256:ab12cd34', durationMs: 0.1, replica: `floor-${process.pid}`,
  };
  const padding = 600 - JSON.stringify({ ...shape, responseBody: '' }).length;
  const entry = JSON.stringify({ ...shape, responseBody: 'x'.repeat(Math.max(0, padding)) });
  app.get('*', (request, reply) => {
    redis.floorJournal(key, entry).then(
      () => send(request, reply),
      (error) => reply.send(error),
    );
  });
} else {
  app.get('*', send);
}
await app.listen({ port: Number(port), host: '127.0.0.1' });
// exits normally on SIGTERM, so that `--cpu-prof` (npm run bench:profile) writes its profile
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
