import { Type } from '@sinclair/typebox';
import type { RouteOptions } from 'fastify';
import type { TypedScope } from '../http/typed-scope.js';
import { controlErrors } from './errors.js';
import { TAGS } from './schemas.js';

export const RouteIndexSchema = Type.Object({
  docs: Type.String({ description: 'The page that documents every route, with its OpenAPI document at /docs/json' }),
  routes: Type.Array(
    Type.Object({
      method: Type.String(),
      path: Type.String(),
      summary: Type.String(),
    }),
  ),
});

type Entry = { method: string; path: string; summary: string };

/**
 * `GET /__mock`: the control plane's routes, each with its method and summary, in the order they
 * were declared. Collected as the scope declares them, so a new route shows with no line here.
 */
export function registerRouteIndex(scope: TypedScope): void {
  const routes: Entry[] = [];
  scope.addHook('onRoute', (route: RouteOptions) => {
    const summary = (route.schema as { summary?: string } | undefined)?.summary;
    if (summary === undefined) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, path: route.url, summary });
  });
  scope.get(
    '/__mock',
    {
      schema: {
        tags: TAGS,
        summary: 'The control plane’s routes',
        response: { 200: RouteIndexSchema, ...controlErrors() },
      },
    },
    async () => ({ docs: '/docs', routes }),
  );
}
