// The framework's floor: a Fastify app with one catch-all route and nothing else (no schema, no
// hook), answering each request with the same bytes as the ceiling. The mock is a Fastify app, so
// this is as fast as it could be on this machine; the mock's distance to it is its own work.
// With `logging`, the same app logging each request with Fastify's defaults (`logger: true`: a line
// when the request arrives and one when it is answered, JSON to standard output, which the bench
// sends to a file): the floor to set against the mock with the logs its users run with.
// Usage: node bench/fastify-floor.mjs <port> <answers.json> [logging]
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [port, file, logging] = process.argv.slice(2);
/** @type {{ url: string, status: number, headers: Record<string, string>, body: string }[]} */
const captured = JSON.parse(readFileSync(file, 'utf8'));
const answers = new Map(captured.map((answer) => [answer.url, answer]));
const fallback = { status: 404, headers: {}, body: '' };

const app = Fastify({ logger: logging === 'logging' });
app.get('*', (request, reply) => {
  const answer = answers.get(request.url) ?? fallback;
  reply.code(answer.status).headers(answer.headers).send(answer.body);
});
await app.listen({ port: Number(port), host: '127.0.0.1' });
// exits normally on SIGTERM, so that `--cpu-prof` (npm run bench:profile) writes its profile
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
