import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { MockHttpError } from '../http/http-error.js';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The admin token as sent: `Authorization: Bearer <token>` or `X-Mock-Admin-Token: <token>`. */
function sentToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-mock-admin-token'];
  if (typeof header === 'string') return header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** When MOCK_ADMIN_TOKEN is set, every control-plane route requires it. */
export function requireAdminToken(expected: string | undefined) {
  return async (request: FastifyRequest): Promise<void> => {
    if (expected === undefined) return;
    const token = sentToken(request);
    if (token === undefined || !same(token, expected)) {
      throw new MockHttpError(401, 'This control-plane route requires the admin token (Authorization: Bearer <token>)', {
        'www-authenticate': 'Bearer realm="provider-mock control plane"',
      });
    }
  };
}
