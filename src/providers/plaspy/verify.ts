import { Type } from '@sinclair/typebox';
import { UnexpectedAnswer } from '../../verify/http.js';
import { type Verification, type VerifyCase, okJson } from '../../verify/verification.js';
import { type StoredUser, type Usage, UserSchema } from './schemas.js';

const authorize = (credential: string) => ({ Authorization: `Bearer ${credential}` });

type UserList = Usage & { users: StoredUser[] };

async function listUsers(call: Parameters<Verification['record']>[0], credential: string): Promise<UserList> {
  const request = { url: '/api/users', headers: authorize(credential) };
  const body = okJson(await call(request), request) as UserList;
  if (!Array.isArray(body.users)) throw new UnexpectedAnswer('GET /api/users answered no users list');
  return body;
}

/** What `record` writes: accounts as fixtures/plaspy/accounts.json holds them, users with their stored password. */
const RecordedAccountsSchema = Type.Object({
  accounts: Type.Array(
    Type.Object({
      token: Type.String(),
      label: Type.String(),
      apiUsage: Type.Integer(),
      apiDailyUsage: Type.Integer(),
      users: Type.Array(Type.Object({ ...UserSchema.properties, password: Type.Union([Type.String(), Type.Null()]) })),
    }),
  ),
});

const USER_PATH = /^\/api\/users\/([^/?]+)/;

/**
 * The documented user usr-12345 is not in a real account: the documented requests for a user ask
 * for the account's first user instead, by its full id or, as the documented `GET /api/users/12345`
 * does, by the id without its `usr-` prefix. With no user to ask for, those cases are left out.
 */
async function adapt(cases: VerifyCase[], call: Parameters<Verification['record']>[0], credential: string): Promise<VerifyCase[]> {
  const asksForUser = (item: VerifyCase) => item.withCredential && item.example.response.status === 200 && USER_PATH.test(item.request.url);
  if (!cases.some(asksForUser)) return cases;
  // a list the service cannot give (a 500, say) leaves no user to ask for; its own case reports it as drift
  const [first] = await listUsers(call, credential).then(
    (list) => list.users,
    (error: unknown) => {
      if (error instanceof UnexpectedAnswer) return [];
      throw error;
    },
  );
  return cases.flatMap((item) => {
    if (!asksForUser(item)) return [item];
    if (!first) return [];
    const documentedId = (item.example.response.body as { id?: string }).id;
    const asked = decodeURIComponent(USER_PATH.exec(item.request.url)![1]!);
    const id = asked === documentedId ? first.id : first.id.replace(/^usr-/, '');
    return [{ ...item, request: { ...item.request, url: item.request.url.replace(USER_PATH, `/api/users/${encodeURIComponent(id)}`) } }];
  });
}

/** The Bearer token; an account's users and usage, which the mock keeps per token. */
export const verification: Verification = {
  authorize,
  adapt,
  recordSchema: RecordedAccountsSchema,
  async record(call, credential, { as, maxUsers }) {
    const { apiUsage, apiDailyUsage, users } = await listUsers(call, credential);
    const kept = users.slice(0, maxUsers);
    return {
      content: { accounts: [{ token: as, label: `Recorded account (${kept.length} users)`, apiUsage, apiDailyUsage, users: kept }] },
      summary: `${kept.length} of ${users.length} users, usage ${apiUsage} (${apiDailyUsage} today)`,
    };
  },
};
