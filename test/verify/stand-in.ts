import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { runSubcommand } from '../../src/verify/cli.js';

export interface Exchange {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** How the stand-in changes an answer of the real mock behind it. */
export type Drift = (answer: Exchange, request: { url: string }) => Exchange;

async function bodyOf(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A small server on 127.0.0.1 in front of a mock: it forwards each request (bodies on GET
 * included) and answers what `drift` makes of the mock's answer.
 */
export async function startStandIn(upstream: string, drift: Drift): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(upstream);
  const server: Server = createServer((incoming, outgoing) => {
    void bodyOf(incoming).then((body) => {
      const forwarded = httpRequest(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          void bodyOf(answer).then((text) => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(answer.headers)) {
              if (typeof value === 'string' && !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) headers[name] = value;
            }
            const changed = drift({ status: answer.statusCode ?? 500, headers, body: text.toString('utf8') }, { url: incoming.url ?? '/' });
            outgoing.writeHead(changed.status, changed.headers).end(changed.body);
          });
        },
      );
      forwarded.on('error', () => outgoing.writeHead(502).end());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on: one just freed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A service on 127.0.0.1 that writes raw bytes: `answer` gets each connection once its request has
 * arrived, and may write what no HTTP server library would (a malformed header, an endless body).
 * Closing it destroys every connection still open.
 */
export async function startRawService(answer: (socket: Socket) => void): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', () => answer(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs `provider-mock <argv>` in this process, with `env` as its environment: its exit status and what it wrote. */
export async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const output = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  };
  const code = await runSubcommand(argv, output, env);
  return { code, stdout, stderr };
}
