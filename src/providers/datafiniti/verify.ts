import { Type } from '@sinclair/typebox';
import { CouldNotRun } from '../../verify/http.js';
import { type Verification, okJson } from '../../verify/verification.js';
import { type User, UserSchema } from './schemas.js';

const authorize = (credential: string) => ({ Authorization: `Basic ${Buffer.from(`${credential}:`).toString('base64')}` });

/** The token is the Basic user name with an empty password; GET /v3/users answers the caller's own account. */
export const verification: Verification = {
  authorize,
  recordSchema: Type.Array(UserSchema),
  async record(call, credential, { as }) {
    const request = { url: '/v3/users', headers: authorize(credential) };
    const body = okJson(await call(request), request);
    if (!Array.isArray(body) || body.length === 0) throw new CouldNotRun('GET /v3/users answered no account');
    const accounts = body as User[];
    const own = accounts.find((account) => account.token === credential) ?? accounts[0]!;
    return { content: [{ ...own, token: as }], summary: `the account of ${own.email}` };
  },
};
