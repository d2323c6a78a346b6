import { Type } from '@sinclair/typebox';
import { type Verification, okJson } from '../../verify/verification.js';
import { type User, UserSchema } from './schemas.js';

const authorize = (credential: string) => ({ Authorization: `Bearer ${credential}` });

/** The key in `Authorization: Bearer`; the account's usage figures are recorded as they stand after the call. */
export const verification: Verification = {
  authorize,
  recordSchema: Type.Array(UserSchema),
  async record(call, credential, { as }) {
    const request = { url: '/api/v2/users/account_info', headers: authorize(credential) };
    const account = okJson(await call(request), request) as User;
    return { content: [{ ...account, key: as }], summary: `the account of ${account.name}, ${account.requests} requests` };
  },
};
