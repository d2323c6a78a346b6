import { type IncomingMessage, STATUS_CODES, type ServerResponse, maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import type {
  ConnectionError,
  FastifyError,
  FastifyInstance,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import { type ErrorFormatter, type WireError, installErrorHandler, neutralErrorFormat, sendError, toMockHttpError } from './error-format.js';
import { settle } from '../state/step.js';
import { MockHttpError } from './http-error.js';
import { markProvider } from './request-provider.js';
import type { RefusalRecorder } from './request-recording.js';

/** The longest path parameter the router accepts (Fastify's default is 100); a longer one is a 414. */
export const MAX_PARAM_LENGTH = 1024;

/** A part of the URL space with its own error format: a provider's documented paths, or the control plane. */
export interface PathOwner {
  /** The provider's slug; null for the control plane. */
  slug: string | null;
  prefixes: readonly string[];
  format: ErrorFormatter;
  /** Checked before any error is answered, as the owner's own routes check it (an admin token). */
  guard?: (request: FastifyRequest) => Promise<void>;
}

export function ownerOf(owners: readonly PathOwner[], url: string): PathOwner | undefined {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return owners.find((owner) => owner.prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)));
}

/** A URL as quoted in a message: cut when long, so that an error never echoes kilobytes back. */
function quoted(url: string): string {
  return url.length > 200 ? `${url.slice(0, 200)}…` : url;
}

/** The error format of the request's path, the request marked as its provider's. */
function formatOfPath(owners: readonly PathOwner[], request: FastifyRequest): ErrorFormatter {
  const owner = ownerOf(owners, request.url);
  if (owner?.slug) markProvider(request, owner.slug);
  return owner?.format ?? neutralErrorFormat;
}

/** The router's own refusals, as the status and message a client should see. */
function routerError(error: FastifyError, url: string): MockHttpError {
  if (error.code === 'FST_ERR_BAD_URL') {
    return new MockHttpError(400, `Malformed URL, its percent-encoding is not valid: ${quoted(url)}`);
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return new MockHttpError(414, `A path segment is longer than ${MAX_PARAM_LENGTH} characters`);
  }
  return toMockHttpError(error);
}

/**
 * The request line's method and target from the bytes a refused connection sent, when they hold
 * them: the target as far as its first 8 KB, which is enough to find its owner (a longer URL was
 * answered in the neutral format).
 */
function requestLineOf(error: ConnectionError): { method: string; url: string } {
  const raw = error.rawPacket as unknown;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from((raw as { data?: number[] } | undefined)?.data ?? []);
  const line = /^([A-Z]+) (\/\S*)/.exec(bytes.subarray(0, 8192).toString('latin1'));
  return { method: line?.[1] ?? '-', url: line?.[2] ?? '/' };
}

/** What HTTP asks of a request that Node leaves to the server: a Host in HTTP/1.1, and an Expect it can meet. */
function refusalOf(request: FastifyRequest): MockHttpError | undefined {
  const { headers } = request;
  if (headers.host === undefined && request.raw.httpVersion === '1.1') {
    return new MockHttpError(400, 'An HTTP/1.1 request needs a Host header');
  }
  if (headers.expect !== undefined && headers.expect.toLowerCase() !== '100-continue') {
    return new MockHttpError(417, `Expect: ${headers.expect.slice(0, 100)} cannot be met; only 100-continue is`);
  }
  return undefined;
}

function clientError(error: ConnectionError): MockHttpError {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return new MockHttpError(431, `The request headers are larger than ${maxHeaderSize} bytes`);
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new MockHttpError(408, 'The request took too long to arrive');
  return new MockHttpError(400, 'Malformed HTTP request');
}

/**
 * Answers on a socket Fastify has no request for, in the format of the path's owner (as to a
 * request that carries no headers: they could not be read), and closes it; the refusal is
 * journaled and logged.
 */
function answerOnSocket(
  owners: readonly PathOwner[],
  refusals: RefusalRecorder,
  socket: Socket,
  refused: MockHttpError,
  line: { method: string; url: string },
): void {
  const owner = ownerOf(owners, line.url);
  const send = (wire: WireError) => {
    const body = JSON.stringify(wire.body);
    const headers = Object.entries({ ...refused.headers, ...wire.headers, 'Content-Type': 'application/json; charset=utf-8' })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 ${refused.statusCode} ${STATUS_CODES[refused.statusCode]}\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
  };
  // journaled with the body it answers, before it is sent
  const sendAndKeep = (wire: WireError) => {
    refusals.record({ ...line, provider: owner?.slug ?? null, headers: {}, status: refused.statusCode, responseBody: JSON.stringify(wire.body) });
    send(wire);
  };
  // The headers could not be read: the owner answers as to a request that carries none.
  settle(
    () => (owner?.format ?? neutralErrorFormat)(refused, { url: line.url, headers: {} } as unknown as FastifyRequest),
    sendAndKeep,
    () => sendAndKeep(neutralErrorFormat(refused)),
  );
}

/**
 * Fastify options for what it answers before any route: malformed URLs, overlong path parameters
 * and malformed HTTP (headers too large, for one), each in the format of the path's owner.
 */
export function unroutedOptions(
  owners: readonly PathOwner[],
  refusals: RefusalRecorder,
): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler' | 'routerOptions'> {
  return {
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: (error, request, reply) => {
      const owner = ownerOf(owners, request.url);
      const refused = routerError(error, request.url);
      const send = (sent: MockHttpError) => {
        // no hook runs for a request the router refused: it is recorded here, with the body answered
        sendError(formatOfPath(owners, request), sent, request, reply, (body, status) => {
          const { method, url, headers } = request;
          refusals.record({ method, url, provider: owner?.slug ?? null, headers, status, responseBody: JSON.stringify(body) });
        });
      };
      (owner?.guard?.(request) ?? Promise.resolve()).then(
        () => send(refused),
        (guardError: unknown) => send(toMockHttpError(guardError)),
      );
    },
    clientErrorHandler: (error: ConnectionError, socket: Socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      answerOnSocket(owners, refusals, socket, clientError(error), requestLineOf(error));
      socket.destroySoon();
    },
  };
}

/**
 * What refuses a request whatever its route (no Host, an Expect other than 100-continue), marked
 * as the provider's whose path it is; undefined for a request to serve.
 */
export function refuseUnservable(owners: readonly PathOwner[]) {
  return (request: FastifyRequest): MockHttpError | undefined => {
    const refused = refusalOf(request);
    if (refused) {
      const owner = ownerOf(owners, request.url);
      if (owner?.slug) markProvider(request, owner.slug);
    }
    return refused;
  };
}

/**
 * Unknown paths and the errors raised on them (a body too large, malformed JSON) are answered in
 * the format of the path's owner, or in a neutral one, never in Fastify's default body.
 */
export function installUnroutedHandlers(app: FastifyInstance, owners: readonly PathOwner[], refusals: RefusalRecorder): void {
  // Node would answer these itself, with no body, or close the connection without an answer
  app.server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => app.routing(request, response));
  app.server.on('connect', (request: IncomingMessage, socket: Socket) => {
    const refused = new MockHttpError(405, 'CONNECT is not supported: this server is not a proxy', { Allow: 'GET, HEAD, POST, PUT, PATCH, DELETE' });
    answerOnSocket(owners, refusals, socket, refused, { method: 'CONNECT', url: request.url ?? '' });
  });
  app.setNotFoundHandler(async (request) => {
    await ownerOf(owners, request.url)?.guard?.(request);
    throw new MockHttpError(404, `No route for ${request.method} ${quoted(request.url.split('?')[0] ?? '')}`);
  });
  installErrorHandler(app, (request) => formatOfPath(owners, request));
}
