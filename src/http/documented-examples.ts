import type { FastifyRequest } from 'fastify';
import { type NamedExample, readExamples } from '../data/examples.js';
import { MockHttpError } from './http-error.js';

/** An answer given as it is documented: its status and body, sent as they are. */
export interface DocumentedAnswer {
  status: number;
  body: unknown;
}

/** Each provider's documented examples, files of the package read once, when first asked for. */
const examplesBySlug = new Map<string, NamedExample[]>();

function examplesOf(slug: string): NamedExample[] {
  let examples = examplesBySlug.get(slug);
  if (!examples) {
    examples = readExamples(slug);
    examplesBySlug.set(slug, examples);
  }
  return examples;
}

/**
 * Whether the router sends `path` to the route declared as `route`: the parameters it finds in the
 * path, put back into the route, give the path again (another route's would not).
 */
function routedTo(route: string, path: string, params: Record<string, string | undefined>): boolean {
  return route.replace(/:(\w+)|\*/g, (match, name: string | undefined) => params[name ?? '*'] ?? match) === path;
}

/** The provider's examples whose request the router sends to the route serving `request`. */
function routeExamples(slug: string, request: FastifyRequest): NamedExample[] {
  const route = request.routeOptions.url;
  if (route === undefined) return [];
  return examplesOf(slug).filter(({ example }) => {
    if (example.request.method !== request.method) return false;
    const path = example.request.url.split('?')[0]!;
    const found = request.server.findRoute({ method: request.method as 'GET', url: path });
    return found !== null && routedTo(route, path, found.params as Record<string, string | undefined>);
  });
}

/**
 * The answer of the documented example `name` of the route serving `request` (Prism's `Prefer:
 * example=`); a 400 naming what `Prefer` takes and the route's examples when it has none of that name.
 */
export function documentedAnswer(slug: string, name: string, request: FastifyRequest): DocumentedAnswer {
  const examples = routeExamples(slug, request);
  const found = examples.find((entry) => entry.name === name);
  if (found) return found.example.response;
  const offered = examples.length === 0 ? 'this route has none' : `this route's are ${examples.map((entry) => entry.name).join(', ')}`;
  throw new MockHttpError(400, `Prefer: example=${name} is not a documented example of this route (Prefer takes code, delay, connection, example; ${offered})`);
}
