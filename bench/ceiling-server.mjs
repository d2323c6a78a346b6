// The ceiling: a bare node:http server that answers each request with bytes serialized in advance
// (the mock's own answer to that request, captured before the run). Nothing is parsed, looked up
// or computed beyond one Map lookup, so it shows what this machine can serve at most.
// The body is kept as a string, not a Buffer: Node then writes the head and body as one string,
// which took a third fewer instructions per answer than a Buffer body (callgrind, 64k against 98k).
// Usage: node bench/ceiling-server.mjs <port> <answers.json>
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [port, file] = process.argv.slice(2);
/** @type {{ url: string, status: number, headers: Record<string, string>, body: string }[]} */
const captured = JSON.parse(readFileSync(file, 'utf8'));
const answers = new Map();
for (const answer of captured) {
  const length = String(Buffer.byteLength(answer.body));
  answers.set(answer.url, { status: answer.status, headers: { ...answer.headers, 'content-length': length }, body: answer.body });
}
const fallback = { status: 404, headers: { 'content-length': '0' }, body: '' };

http
  .createServer((request, response) => {
    const answer = answers.get(request.url) ?? fallback;
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  })
  .listen(Number(port), '127.0.0.1');
