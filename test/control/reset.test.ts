import { describe, expect, it } from 'vitest';
import { redacted } from '../../src/http/redaction.js';
import { makeApp } from '../helpers.js';

const BOB = '9e1808205b91362f9e3543aa4cea406e4aeedc69';

describe('POST /__mock/reset', () => {
  it('restores users, counters, rate-limit windows, faults and the journal', async () => {
    const app = await makeApp();
    const fresh = (await app.inject({ url: `/api/v2/users/account_info/${BOB}` })).json();
    await app.inject({ method: 'POST', url: '/__mock/reset' });

    for (let i = 0; i < 250; i++) await app.inject({ url: `/api/v2/users/account_info/${BOB}` });
    expect((await app.inject({ url: `/api/v2/users/account_info/${BOB}` })).statusCode).toBe(429);
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'plaspy', status: 500 } });
    await app.inject({ method: 'POST', url: '/__mock/datafiniti/accounts', payload: { token: 'TEMP' } });
    await app.inject({ method: 'DELETE', url: '/__mock/datonis/accounts/a7c2e9f41b/users/1e5228ttd8' });

    const reset = await app.inject({ method: 'POST', url: '/__mock/reset' });
    expect(reset.json()).toEqual({ status: 'reset' });
    expect((await app.inject({ url: `/api/v2/users/account_info/${BOB}` })).json()).toEqual(fresh);
    expect((await app.inject({ url: '/__mock/faults' })).json()).toEqual([]);
    expect((await app.inject({ url: '/__mock/datafiniti/accounts/TEMP' })).statusCode).toBe(404);
    const datonis = (await app.inject({ url: '/api/v3/users', headers: { 'x-auth-token': 'WtUFnj8pvSxVnH9e_xkq7A' } })).json();
    expect(datonis.total_count).toBe(3);
    const journal = (await app.inject({ url: '/__mock/requests' })).json();
    // the key in the path shows as its identity
    expect(journal.requests.map((entry: { path: string }) => entry.path)).toEqual([`/api/v2/users/account_info/${redacted(BOB)}`, '/api/v3/users']);
  });

});
