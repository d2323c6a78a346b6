import { type TSchema, Type } from '@sinclair/typebox';
import type { RecordAdmin } from '../record-admin.js';
import { MockHttpError } from '../http/http-error.js';
import type { Provider, ProviderStore } from '../provider.js';
import type { TypedScope } from '../http/typed-scope.js';
import type { MockRuntime } from '../runtime.js';
import type { CreationBudget } from './limits.js';
import { controlErrors } from './errors.js';
import { PagingQuerySchema, TAGS } from './schemas.js';

const IdParams = (names: string[]) => Type.Object(Object.fromEntries(names.map((name) => [name, Type.String({ minLength: 1 })])));

/**
 * The schema with an example the docs page's "Try it out" starts from: one the route accepts, where
 * the page's own sample (every field, "string" in each) would be refused. One copy per schema,
 * kept, so that its validator is compiled once (http/compilers.ts).
 */
const exampled = new WeakMap<TSchema, TSchema>();
function withExample<T extends TSchema>(schema: T, example: unknown): T {
  let copy = exampled.get(schema);
  if (!copy) {
    copy = { ...schema, examples: [example] };
    exampled.set(schema, copy);
  }
  return copy as T;
}

export function listingSchema<T extends TSchema>(view: T) {
  return Type.Object({ total: Type.Integer(), page: Type.Integer(), per: Type.Integer(), items: Type.Array(view) });
}

export const GeneratedSchema = Type.Object({ total: Type.Integer({ description: 'Records the account (or provider) now holds' }) });

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === false) throw new MockHttpError(404, `No ${what}`);
  return value;
}

/**
 * Create, read, change and delete routes for one kind of record of one provider, at `base`
 * (`/__mock/<slug>/accounts`, or `.../accounts/:accountId/users`).
 */
function registerRecordRoutes(
  scope: TypedScope,
  store: ProviderStore,
  admin: RecordAdmin<ProviderStore>,
  options: {
    base: string;
    idName: string;
    parentName?: string;
    noun: string;
    title: string;
    slug: string;
    budget: CreationBudget;
    kind: 'accounts' | 'users';
    write: MockRuntime['writeRecords'];
  },
): void {
  const { base, idName, parentName, noun, title, slug: provider, kind, write } = options;
  const parentParams = parentName ? [parentName] : [];
  const tags = TAGS;
  const parentOf = (params: Record<string, string>) => (parentName ? params[parentName] : undefined);
  const describe = (params: Record<string, string>) =>
    `${title} ${noun} '${params[idName]}'${parentName ? ` in account '${params[parentName]}'` : ''}`;

  scope.get(
    base,
    {
      schema: {
        tags,
        summary: `List ${title} ${noun}s`,
        ...(parentName ? { params: IdParams(parentParams) } : {}),
        querystring: PagingQuerySchema,
        response: { 200: listingSchema(admin.view), ...(parentName ? controlErrors(404) : controlErrors()) },
      },
    },
    async (request) => {
      const params = request.params as Record<string, string>;
      const listing = found(await admin.list(store, request.query, parentOf(params)), `${title} account '${parentOf(params)}'`);
      return { ...listing, page: request.query.page, per: request.query.per };
    },
  );

  scope.post(
    base,
    {
      schema: {
        tags,
        summary: `Create a ${title} ${noun}`,
        description: 'Fields left out are generated.',
        ...(parentName ? { params: IdParams(parentParams) } : {}),
        body: withExample(admin.create, {}),
        response: { 201: admin.view, ...controlErrors(...(parentName ? [404] : []), 409, 422) },
      },
    },
    async (request, reply) => {
      const parent = parentOf(request.params as Record<string, string>);
      const input = request.body as Record<string, unknown>;
      const named = typeof input[admin.idField] === 'string' ? (input[admin.idField] as string) : undefined;
      const added = await options.budget.writeFields(
        provider,
        title,
        parent ?? named,
        input,
        () => options.budget.add(options.slug, title, 1, parent, async () => write({ provider, kind, op: 'add', parent, input }, () => admin.add(store, input, parent))),
        (created) => parent ?? String((created as Record<string, unknown>)[admin.idField]),
      );
      return reply.code(201).send(found(added, `${title} account '${parent}'`));
    },
  );

  const one = `${base}/:${idName}`;
  const oneParams = IdParams([...parentParams, idName]);
  scope.get(
    one,
    { schema: { tags, summary: `One ${title} ${noun}`, params: oneParams, response: { 200: admin.view, ...controlErrors(404) } } },
    async (request) => {
      const params = request.params as Record<string, string>;
      return found(await admin.get(store, params[idName]!, parentOf(params)), describe(params));
    },
  );

  scope.patch(
    one,
    {
      schema: {
        tags,
        summary: `Change a ${title} ${noun}`,
        params: oneParams,
        body: withExample(admin.patch, {}),
        response: { 200: admin.view, ...controlErrors(404, 409, 422) },
      },
    },
    async (request) => {
      const params = request.params as Record<string, string>;
      const patch = request.body as Record<string, unknown>;
      const [id, parent] = [params[idName]!, parentOf(params)];
      const changed = await options.budget.writeFields(provider, title, parent ?? id, patch, async () =>
        write({ provider, kind, op: 'change', parent, id, input: patch }, () => admin.change(store, id, patch, parent)),
      );
      return found(changed, describe(params));
    },
  );

  scope.delete(
    one,
    { schema: { tags, summary: `Delete a ${title} ${noun}`, params: oneParams, response: { 204: Type.Null(), ...controlErrors(404) } } },
    async (request, reply) => {
      const params = request.params as Record<string, string>;
      const [id, parent] = [params[idName]!, parentOf(params)];
      found(await write({ provider, kind, op: 'remove', parent, id }, () => admin.remove(store, id, parent)), describe(params));
      return reply.code(204).send(null);
    },
  );

  const generate = admin.generate;
  if (generate) {
    scope.post(
      `${base}/generate`,
      {
        schema: {
          tags,
          summary: `Add generated ${title} ${noun}s`,
          ...(parentName ? { params: IdParams(parentParams) } : {}),
          body: Type.Object(
            { count: Type.Integer({ minimum: 1, maximum: options.budget.limits.generateAtOnce }) },
            { additionalProperties: false, examples: [{ count: 10 }] },
          ),
          response: {
            201: GeneratedSchema,
            ...controlErrors(...(parentName ? [404] : []), 422),
          },
        },
      },
      async (request, reply) => {
        const parent = parentOf(request.params as Record<string, string>);
        const { count } = request.body;
        const generated = await options.budget.add(options.slug, title, count, parent, async () =>
          write({ provider, kind, op: 'generate', parent, input: { count } }, () => generate(store, count, parent)),
        );
        return reply.code(201).send({ total: found(generated as number | undefined, `${title} account '${parent}'`) });
      },
    );
  }
}

export function registerProviderRecords(
  scope: TypedScope,
  provider: Provider,
  store: ProviderStore,
  budget: CreationBudget,
  write: MockRuntime['writeRecords'],
): void {
  const admin = provider.admin;
  if (!admin) return;
  const base = `/__mock/${provider.slug}/accounts`;
  const title = provider.title;
  const { slug } = provider;
  registerRecordRoutes(scope, store, admin.accounts, { base, idName: 'accountId', noun: 'account', title, slug, budget, kind: 'accounts', write });
  if (admin.users) {
    registerRecordRoutes(scope, store, admin.users, {
      base: `${base}/:accountId/users`,
      idName: 'userId',
      parentName: 'accountId',
      noun: 'user',
      title,
      slug,
      budget,
      kind: 'users',
      write,
    });
  }
}
