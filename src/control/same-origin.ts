import type { FastifyRequest } from 'fastify';
import { MockHttpError } from '../http/http-error.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin's `host:port` as a Host header names it, or undefined for `null` and what is not a URL. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * A page on another origin can make a browser send a write to a mock on the same machine (a form,
 * or `fetch` with `mode: "no-cors"`): its answer stays hidden from the page, but the write is done.
 * A browser says where a request comes from, in `Origin` and `Sec-Fetch-Site`: a write whose
 * `Origin` is not the mock's own (its scheme aside, as a proxy may end TLS), or which the browser
 * marks `cross-site`, is refused with a 403. curl and test suites send neither and pass; so do the
 * mock's own /docs page and reads. `--cors` opens the provider paths only, never the control plane.
 */
export async function refuseCrossOriginWrites(request: FastifyRequest): Promise<void> {
  if (READS.has(request.method)) return;
  const { origin, host = '' } = request.headers;
  if (request.headers['sec-fetch-site'] === 'cross-site') {
    throw new MockHttpError(403, 'The control plane refuses writes from a page on another site (Sec-Fetch-Site: cross-site)');
  }
  if (origin !== undefined && originHost(origin) !== host.toLowerCase()) {
    throw new MockHttpError(
      403,
      `The control plane refuses writes from another origin: Origin '${origin.slice(0, 100)}' is not this mock's own (Host '${host.slice(0, 100)}')`,
    );
  }
}
