import { describe, expect, it } from 'vitest';
import { listening, send } from '../hardening/sockets.js';

async function count(url: string, filter: string): Promise<number> {
  const answer = await send(`${url}/__mock/requests/count?${filter}`);
  expect(answer.status, filter).toBe(200);
  return (JSON.parse(answer.body) as { count: number }).count;
}

describe('the journal’s query and header filters', () => {
  it('match a parameter or header the request had, never a name every object inherits', async () => {
    const { url } = await listening();
    await send(`${url}/api/users?limit=2`, { headers: { authorization: 'Bearer plaspy-demo-token' } });
    await send(`${url}/api/users`, { headers: { authorization: 'Bearer plaspy-demo-token' } });
    expect(await count(url, 'query.limit=2')).toBe(1);
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(await count(url, `query.${name}=x`)).toBe(0);
      expect(await count(url, `header.${name}=x`)).toBe(0);
    }
    // a parameter of that name, really sent, is matched like any other
    await send(`${url}/api/users?__proto__=x`, { headers: { authorization: 'Bearer plaspy-demo-token' } });
    expect(await count(url, 'query.__proto__=x')).toBe(1);
    expect(await count(url, 'query.constructor=function%20Object()%20%7B%20%5Bnative%20code%5D%20%7D')).toBe(0);
  });
});
