import { STATUS_CODES, maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import type {
  ConnectionError,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import { type ErrorFormatter, type WireError, neutralErrorFormat, sendWireError, toMockHttpError } from './error-format.js';
import { settle } from '../state/step.js';
import { MockHttpError } from './http-error.js';
import { markProvider } from './provider-hooks.js';

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

function answer(owners: readonly PathOwner[], error: MockHttpError, request: FastifyRequest, reply: FastifyReply): void {
  const owner = ownerOf(owners, request.url);
  if (owner?.slug) markProvider(request, owner.slug);
  sendWireError(owner?.format ?? neutralErrorFormat, error, request, reply);
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

/** The request line's target from the bytes a refused connection sent, when they hold it. */
function targetOf(error: ConnectionError): string {
  const raw = error.rawPacket as unknown;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from((raw as { data?: number[] } | undefined)?.data ?? []);
  return /^[A-Z]+ (\S+) HTTP\//.exec(bytes.subarray(0, 8192).toString('latin1'))?.[1] ?? '/';
}

function clientError(error: ConnectionError): MockHttpError {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return new MockHttpError(431, `The request headers are larger than ${maxHeaderSize} bytes`);
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new MockHttpError(408, 'The request took too long to arrive');
  return new MockHttpError(400, 'Malformed HTTP request');
}

/**
 * Fastify options for what it answers before any route: malformed URLs, overlong path parameters
 * and malformed HTTP (headers too large, for one), each in the format of the path's owner.
 */
export function unroutedOptions(
  owners: readonly PathOwner[],
): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler' | 'routerOptions'> {
  return {
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: (error, request, reply) => {
      const owner = ownerOf(owners, request.url);
      const refused = routerError(error, request.url);
      (owner?.guard?.(request) ?? Promise.resolve()).then(
        () => answer(owners, refused, request, reply),
        (guardError: unknown) => answer(owners, toMockHttpError(guardError), request, reply),
      );
    },
    clientErrorHandler: (error: ConnectionError, socket: Socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const refused = clientError(error);
      const url = targetOf(error);
      // The headers could not be read: the owner answers as to a request that carries none.
      const request = { url, headers: {} } as unknown as FastifyRequest;
      const send = (wire: WireError) => {
        const body = JSON.stringify(wire.body);
        const headers = Object.entries({ ...wire.headers, 'Content-Type': 'application/json; charset=utf-8' })
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('');
        if (socket.writable) {
          socket.write(
            `HTTP/1.1 ${refused.statusCode} ${STATUS_CODES[refused.statusCode]}\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
          );
        }
        socket.destroy(error);
      };
      settle(
        () => (ownerOf(owners, url)?.format ?? neutralErrorFormat)(refused, request),
        send,
        () => send(neutralErrorFormat(refused)),
      );
    },
  };
}

/**
 * Unknown paths and the errors raised on them (a body too large, malformed JSON) are answered in
 * the format of the path's owner, or in a neutral one, never in Fastify's default body.
 */
export function installUnroutedHandlers(app: FastifyInstance, owners: readonly PathOwner[]): void {
  app.setNotFoundHandler(async (request) => {
    await ownerOf(owners, request.url)?.guard?.(request);
    throw new MockHttpError(404, `No route for ${request.method} ${quoted(request.url.split('?')[0] ?? '')}`);
  });
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const mockError = toMockHttpError(error);
    if (mockError.statusCode >= 500 && !(error instanceof MockHttpError)) {
      request.log.error({ err: error }, 'unexpected error');
    }
    answer(owners, mockError, request, reply);
  });
}
