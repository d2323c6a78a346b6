import { describe, expect, it } from 'vitest';
import { basic, captureLines, makeApp } from '../helpers.js';

const FINGERBANK = '/api/v2/users/account_info';

/** Refused calls, with the secret each carried (which neither the journal's reason nor the log may show). */
const REFUSED = [
  { provider: 'datafiniti', url: '/v3/users', headers: {}, reason: 'no credential' },
  { provider: 'datafiniti', url: '/v3/users', headers: { authorization: 'Bearer AAAXXXXXXXXXXXX' }, reason: 'bad scheme', secret: 'AAAXXXXXXXXXXXX' },
  { provider: 'datafiniti', url: '/v3/users', headers: { authorization: 'Basic AAAXXXXXXXXXXXX' }, reason: 'bad base64', secret: 'AAAXXXXXXXXXXXX' },
  { provider: 'datafiniti', url: '/v3/users', headers: { authorization: basic('AAAXXXXXXXXXXXX', 'hunter2') }, reason: 'password not empty', secret: 'hunter2' },
  { provider: 'datafiniti', url: '/v3/users', headers: { authorization: basic('NOT-A-TOKEN-123') }, reason: 'unknown token', secret: 'NOT-A-TOKEN-123' },
  { provider: 'fingerbank', url: FINGERBANK, headers: {}, reason: 'no credential' },
  { provider: 'fingerbank', url: FINGERBANK, headers: { authorization: 'Token abcdef0123' }, reason: 'bad scheme', secret: 'abcdef0123' },
  { provider: 'fingerbank', url: `${FINGERBANK}?key=feedface0123`, headers: {}, reason: 'unknown key', secret: 'feedface0123' },
  { provider: 'plaspy', url: '/api/users', headers: {}, reason: 'no credential' },
  { provider: 'plaspy', url: '/api/users', headers: { authorization: 'Token plaspy-demo-token' }, reason: 'bad scheme', secret: 'plaspy-demo-token' },
  { provider: 'plaspy', url: '/api/users', headers: { authorization: 'Bearer no-such-token-42' }, reason: 'unknown token', secret: 'no-such-token-42' },
  { provider: 'datonis', url: '/api/v3/users', headers: {}, reason: 'no credential' },
  { provider: 'datonis', url: '/api/v3/users', headers: { 'x-auth-token': 'no-such-token-43' }, reason: 'unknown token', secret: 'no-such-token-43' },
];

describe('why a credential was refused', () => {
  it.each(REFUSED)('$provider, $reason: the journal and a debug line say why, the body stays the documented one', async ({ provider, url, headers, reason, secret }) => {
    const { lines, stream } = captureLines();
    const app = await makeApp({ logLevel: 'debug', logFormat: 'json', logStream: stream });
    const refused = await app.inject({ url, headers });
    expect(refused.statusCode).toBe(401);
    expect(refused.body).not.toContain(reason);
    // the same documented 401 whatever the reason (Plaspy's shows the usage the call was counted in, which grows)
    const plain = await (await makeApp()).inject({ url: url.split('?')[0]! });
    if (provider === 'plaspy') expect(Object.keys(refused.json())).toEqual(Object.keys(plain.json()));
    else expect(refused.body).toBe(plain.body);
    const { requests } = (await app.inject({ url: `/__mock/requests?provider=${provider}` })).json();
    expect(requests).toHaveLength(1);
    expect(requests[0].reason).toBe(reason);
    const said = lines.map((line) => JSON.parse(line)).filter((line) => line.reason !== undefined);
    expect(said).toEqual([expect.objectContaining({ level: 20, provider, reason, msg: `401 ${provider}: ${reason}` })]);
    if (secret) {
      expect(lines.join('\n')).not.toContain(secret);
      expect(JSON.stringify(requests[0].reason)).not.toContain(secret);
    }
  });

  it('is absent from the entries of calls let in', async () => {
    const app = await makeApp();
    await app.inject({ url: '/v3/users', headers: { authorization: basic('AAAXXXXXXXXXXXX') } });
    const { requests } = (await app.inject({ url: '/__mock/requests' })).json();
    expect(requests[0].status).toBe(200);
    expect(requests[0]).not.toHaveProperty('reason');
  });
});
