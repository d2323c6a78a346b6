import type { Static } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { type AccountRecord, type FaultSpec, type MockServer, type UserRecord, credentialIdentity, startMock } from '../../src/mock.js';
import type { UserSchema as DatafinitiUserSchema } from '../../src/providers/datafiniti/schemas.js';
import type { UserSchema as PlaspyUserSchema } from '../../src/providers/plaspy/schemas.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock({ users: 2, clock: '2026-03-15T10:00:00Z' });
});
afterAll(() => mock.close());

describe('the typed control client', () => {
  it('reads and moves the clock', async () => {
    expect(await mock.control.clock()).toMatchObject({ now: '2026-03-15T10:00:00.000Z', frozen: true });
    expect(await mock.control.moveClock({ advanceMs: 1_000, freeze: false })).toMatchObject({ now: '2026-03-15T10:00:01.000Z', frozen: false });
    await mock.control.reset();
    expect(await mock.control.clock()).toMatchObject({ now: '2026-03-15T10:00:00.000Z', frozen: true });
  });

  it('adds, lists and clears faults with sequences and matching, typed from the route schemas', async () => {
    const spec: FaultSpec = { provider: 'plaspy', method: 'GET', credential: 'plaspy-demo-token', sequence: [{ status: 503, headers: { 'Retry-After': '1' } }, { pass: true }] };
    const fault = await mock.control.addFault(spec);
    expect(fault).toMatchObject({ ...spec, hits: 0, id: expect.any(String) });
    expect(await mock.control.faults('plaspy')).toHaveLength(1);
    expect(await mock.control.clearFaults('plaspy')).toEqual({ cleared: 1 });
    // @ts-expect-error: provider slugs are a union type
    await expect(mock.control.addFault({ provider: 'stripe', status: 500 })).rejects.toMatchObject({ status: 400 });
    // @ts-expect-error: a connection fault is one of four
    await expect(mock.control.addFault({ provider: 'plaspy', connection: 'explode' })).rejects.toMatchObject({ status: 400 });
  });

  it('counts the journal by filter, and pages it with the total of matches', async () => {
    await mock.control.reset();
    const plaspy = { authorization: 'Bearer plaspy-demo-token', 'x-trace': 'one' };
    for (let i = 0; i < 3; i++) await (await fetch(`${mock.url}/api/users?page=${i}`, { headers: plaspy })).arrayBuffer();
    await (await fetch(`${mock.url}/api/users`)).arrayBuffer();
    expect(await mock.control.count()).toBe(4);
    expect(await mock.control.count({ provider: 'plaspy', status: 200, method: 'GET', path: '/api/users' })).toBe(3);
    expect(await mock.control.count({ credential: 'plaspy-demo-token' })).toBe(3);
    expect(await mock.control.count({ query: { page: '1' }, headers: { 'X-Trace': 'one' } })).toBe(1);
    expect(await mock.control.count({ status: 401 })).toBe(1);
    const page = await mock.control.requestPage({ provider: 'plaspy', limit: 2 });
    expect([page.total, page.requests.length]).toEqual([4, 2]);
    // @ts-expect-error: a method is one of HTTP's
    await expect(mock.control.count({ method: 'FETCH' })).rejects.toMatchObject({ status: 400 });
  });

  it('reads every entry the journal keeps when no limit is given, page by page, and one page with a limit', async () => {
    await mock.control.reset();
    for (let i = 0; i < 120; i++) await (await fetch(`${mock.url}/api/users?n=${i}`)).arrayBuffer();
    const all = await mock.control.requests({ provider: 'plaspy' });
    expect(all.map((entry) => entry.query.n)).toEqual(Array.from({ length: 120 }, (_, i) => String(i)));
    expect((await mock.control.requests({ provider: 'plaspy', limit: 2 })).map((entry) => entry.query.n)).toEqual(['118', '119']);
    const page = await mock.control.requestPage({ limit: 100 });
    expect([page.requests.length, page.cursor]).toEqual([100, page.requests[0]!.id]);
    expect((await mock.control.requestPage({ cursor: page.cursor! })).requests).toHaveLength(20);
  });

  it('expects a number of requests, and throws with what was received', async () => {
    await mock.control.reset();
    await mock.control.expectRequests({ provider: 'plaspy' }, 0);
    const empty = await mock.control.expectRequests({ provider: 'plaspy' }, 1).catch((error: unknown) => error);
    expect(empty).toBeInstanceOf(Error);
    expect((empty as Error).message).toBe('expected 1 request matching {"provider":"plaspy"}, received 0\nthe journal is empty');
    await (await fetch(`${mock.url}/api/users`, { headers: { authorization: 'Bearer plaspy-demo-token' } })).arrayBuffer();
    await (await fetch(`${mock.url}/v3/users`)).arrayBuffer();
    await mock.control.expectRequests({ provider: 'plaspy', credential: 'plaspy-demo-token' }, 1);
    const error = await mock.control.expectRequests({ credential: 'plaspy-demo-token', status: 500 }, 2).catch((thrown: unknown) => thrown);
    expect((error as Error).message).toBe(
      [
        `expected 2 requests matching {"credential":"${credentialIdentity('plaspy-demo-token')}","status":500}, received 0`,
        'the 2 requests nearest to it of the last 2 of 2 in the journal (meeting 1 of its 2 conditions at most), oldest first:',
        '  method  path        status  credential       met',
        `  GET     /api/users  200     ${credentialIdentity('plaspy-demo-token')}  1/2`,
        '  GET     /v3/users   401     -                0/2',
      ].join('\n'),
    );
    expect((error as Error).message).not.toContain('plaspy-demo-token');
  });

  it('shows the query and headers a filter names, and the nearest misses first of all', async () => {
    await mock.control.reset();
    const plaspy = { authorization: 'Bearer plaspy-demo-token' };
    for (let i = 0; i < 12; i++) await (await fetch(`${mock.url}/v3/users`)).arrayBuffer();
    await (await fetch(`${mock.url}/api/users?limit=3`, { headers: { ...plaspy, 'x-trace': 'b' } })).arrayBuffer();
    for (let i = 0; i < 12; i++) await (await fetch(`${mock.url}/v3/users?n=${i}`)).arrayBuffer();
    const error = (await mock.control
      .expectRequests({ provider: 'plaspy', query: { limit: '2' }, headers: { 'X-Trace': 'b' } }, 1)
      .catch((thrown: unknown) => thrown)) as Error;
    const lines = error.message.split('\n');
    expect(lines[1]).toBe('the 10 requests nearest to it of the last 25 of 25 in the journal (meeting 2 of its 3 conditions at most), oldest first:');
    expect(lines[2]).toMatch(/^ {2}method\s+path\s+status\s+credential\s+provider\s+query\.limit\s+header\.x-trace\s+met$/);
    // the Plaspy call, a near miss on its limit, is shown though eleven requests came after it
    expect(lines[3]).toMatch(/^ {2}GET\s+\/api\/users\s+200\s+sha256:\w+\s+plaspy\s+3\s+b\s+2\/3$/);
  });

  it("creates, reads, changes, lists and deletes every provider's records, typed from the admin schemas", async () => {
    await mock.control.reset();
    const { control } = mock;
    const datafiniti = await control.createAccount('datafiniti', { token: 'TYPED-TOKEN', plan_id: 'enterprise' });
    expectTypeOf(datafiniti).toEqualTypeOf<Static<typeof DatafinitiUserSchema>>();
    expect(datafiniti).toMatchObject({ token: 'TYPED-TOKEN', plan_id: 'enterprise' });
    expect((await control.updateAccount('datafiniti', 'TYPED-TOKEN', { available_downloads: 5 })).available_downloads).toBe(5);
    expect((await control.getAccount('datafiniti', 'TYPED-TOKEN')).plan_id).toBe('enterprise');
    // a field no Datafiniti account has is a compile error, and the control plane refuses it
    // @ts-expect-error: plan_idd is not a field of a Datafiniti account
    await expect(control.createAccount('datafiniti', { plan_idd: 'enterprise' })).rejects.toMatchObject({ status: 400 });
    // @ts-expect-error: the token identifies the account, a change cannot set it
    await expect(control.updateAccount('datafiniti', 'TYPED-TOKEN', { token: 'OTHER' })).rejects.toMatchObject({ status: 400 });
    // @ts-expect-error: an answer has the account's fields only
    expect(datafiniti.plan_idd).toBeUndefined();

    const fingerbank = await control.createAccount('fingerbank', { blocked: true });
    expect((await control.listAccounts('fingerbank', 1, 1000)).items.find((account) => account.key === fingerbank.key)?.blocked).toBe(true);
    // @ts-expect-error: blocked is a boolean
    await expect(control.updateAccount('fingerbank', fingerbank.key, { blocked: 'yes' })).rejects.toMatchObject({ status: 400 });
    await control.deleteAccount('fingerbank', fingerbank.key);
    await expect(control.getAccount('fingerbank', fingerbank.key)).rejects.toMatchObject({ status: 404 });

    const plaspy = await control.createAccount('plaspy', { token: 'typed-token', label: 'Typed' });
    expectTypeOf(plaspy).toEqualTypeOf<AccountRecord<'plaspy'>>();
    expect(plaspy).toMatchObject({ token: 'typed-token', label: 'Typed', user_count: 0 });
    const user = await control.createUser('plaspy', 'typed-token', { name: 'Ana', disabled: true });
    expectTypeOf(user).toEqualTypeOf<Static<typeof PlaspyUserSchema>>();
    expect((await control.getUser('plaspy', 'typed-token', user.id!)).disabled).toBe(true);
    expect((await control.updateUser('plaspy', 'typed-token', user.id!, { disabled: false })).disabled).toBe(false);
    // @ts-expect-error: a Plaspy user has no first_name (Datonis's do)
    await expect(control.createUser('plaspy', 'typed-token', { first_name: 'Ana' })).rejects.toMatchObject({ status: 400 });
    expect(await control.generateUsers('plaspy', 'typed-token', 2)).toBe(3);
    expect((await control.listUsers('plaspy', 'typed-token')).items.map((listed) => listed.name)).toContain('Ana');
    await control.deleteUser('plaspy', 'typed-token', user.id!);
    expect((await control.getAccount('plaspy', 'typed-token')).user_count).toBe(2);

    const datonis = await control.createAccount('datonis', { name: 'Typed Org', tokens: ['typed-org-token'] });
    const member: UserRecord<'datonis'> = await control.createUser('datonis', datonis.organisation_key, { first_name: 'Ana' });
    expect((await control.listUsers('datonis', datonis.organisation_key)).items.map((listed) => listed.user_key)).toEqual([member.user_key]);
    // @ts-expect-error: a Datafiniti account holds no users
    await expect(control.listUsers('datafiniti', 'TYPED-TOKEN')).rejects.toMatchObject({ status: 404 });
  });
});
