import type { FastifyRequest } from 'fastify';

/**
 * The token of `Authorization: Bearer <token>`, the only credential Plaspy documents; undefined
 * for any other scheme, a malformed header or no header.
 */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}
