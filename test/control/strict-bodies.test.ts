import { describe, expect, it } from 'vitest';
import { listening, send } from '../hardening/sockets.js';

const JSON_BODY = { 'content-type': 'application/json' };

describe('control-plane bodies', () => {
  it.each([
    ['a boolean for a date', '/__mock/datonis/accounts/c5d8b3e62a/users', { created_at: true }, "Invalid body 'created_at'"],
    ['an array for an integer', '/__mock/plaspy/accounts', { apiUsage: [1] }, "Invalid body 'apiUsage': must be integer"],
    ['a text for an integer', '/__mock/plaspy/accounts', { apiUsage: '1e3' }, "Invalid body 'apiUsage': must be integer"],
    ['digits as text for an integer', '/__mock/plaspy/accounts', { apiUsage: '12' }, "Invalid body 'apiUsage': must be integer"],
    ['a text for a boolean', '/__mock/plaspy/accounts/plaspy-demo-token/users', { disabled: 'true' }, "Invalid body 'disabled': must be boolean"],
    ['a number for a text', '/__mock/plaspy/accounts', { label: 5 }, "Invalid body 'label': must be string"],
    ['a text for a count', '/__mock/plaspy/accounts/plaspy-demo-token/users/generate', { count: '2' }, "Invalid body 'count': must be integer"],
  ])('refuse %s with a 400 naming the field, storing nothing', async (_name, path, body, message) => {
    const { url } = await listening();
    const before = (await send(`${url}${path.replace(/\/generate$/, '')}`)).body;
    const answer = await send(`${url}${path}`, { method: 'POST', headers: JSON_BODY, body: JSON.stringify(body) });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).message).toContain(message);
    expect((await send(`${url}${path.replace(/\/generate$/, '')}`)).body).toBe(before);
  });

  it('take JSON’s own types as they are', async () => {
    const { url } = await listening();
    const created = await send(`${url}/__mock/plaspy/accounts`, { method: 'POST', headers: JSON_BODY, body: '{"apiUsage": 1e3, "label": "x"}' });
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ apiUsage: 1000, label: 'x' });
  });
});
