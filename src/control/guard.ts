import { timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { MockConfig } from '../config.js';
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
function requireAdminToken(expected: string | undefined) {
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

/** The host name of a Host header, without its port, brackets or final dot, in lower case. */
function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']') === -1 ? undefined : host.indexOf(']')) : host.replace(/:\d*$/, '');
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Whether a name or address reaches only this machine: `localhost` and its subdomains, 127.0.0.0/8, ::1. */
function isLoopback(name: string): boolean {
  const host = hostName(name);
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '::ffff:127.0.0.1') return true;
  return isIPv4(host) && host.startsWith('127.');
}

/**
 * The Host names the control plane answers, or undefined for any. A web page can make a browser
 * on the same machine send requests to a loopback address under a name its attacker controls (DNS
 * rebinding), and read the answers: so with no admin token, a mock listening on a loopback address
 * answers only loopback names and addresses, and the names in `--allowed-hosts`. A mock listening
 * elsewhere (as the image does, reached as `provider-mock:4010` from other containers) answers any
 * Host, unless `--allowed-hosts` names them.
 */
function allowedHosts(config: Pick<MockConfig, 'host' | 'adminToken' | 'allowedHosts'>): ((name: string) => boolean) | undefined {
  const listed = (config.allowedHosts ?? '')
    .split(',')
    .map((name) => hostName(name))
    .filter(Boolean);
  if (listed.length === 0 && (config.adminToken !== undefined || !isLoopback(config.host))) return undefined;
  const names = new Set(listed);
  return (name) => isLoopback(name) || names.has(hostName(name));
}

/** Refuses, with a 403, a control-plane request whose Host the configuration does not allow. */
function requireAllowedHost(config: Pick<MockConfig, 'host' | 'adminToken' | 'allowedHosts'>) {
  const allowed = allowedHosts(config);
  return async (request: FastifyRequest): Promise<void> => {
    if (allowed === undefined) return;
    const host = request.headers.host ?? '';
    if (!allowed(host)) {
      throw new MockHttpError(
        403,
        `The control plane does not answer Host '${host.slice(0, 100)}': only loopback names and those in --allowed-hosts (MOCK_ALLOWED_HOSTS)`,
      );
    }
  };
}

/**
 * A control-plane write that carries a body must say it is JSON: a browser sends text/plain
 * (or a form) to any address without asking first, JSON only after a preflight no page passes.
 * A write with no body (`curl -X POST .../__mock/reset`) needs no Content-Type.
 */
async function requireJsonBody(request: FastifyRequest): Promise<void> {
  const { headers } = request;
  if (Number(headers['content-length'] ?? 0) === 0 && headers['transfer-encoding'] === undefined) return;
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new MockHttpError(415, `A control-plane body must be sent as application/json, not ${type === '' ? 'without a Content-Type' : `as ${type.slice(0, 100)}`}`);
  }
}

/** Every check a control-plane request passes before its route: its Host, the admin token, a JSON body. */
export function controlPlaneGuard(config: Pick<MockConfig, 'host' | 'adminToken' | 'allowedHosts'>) {
  const host = requireAllowedHost(config);
  const token = requireAdminToken(config.adminToken);
  return async (request: FastifyRequest): Promise<void> => {
    await host(request);
    await token(request);
    await requireJsonBody(request);
  };
}
