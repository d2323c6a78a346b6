import type { FastifyRequest } from 'fastify';
import type { Admission } from '../../provider.js';
import { CredentialRefused, type RefusalReason } from '../../http/credential-refusal.js';
import { type Step, andThen } from '../../state/step.js';
import { UNAUTHORIZED_MESSAGE } from './errors.js';
import type { Usage } from './schemas.js';
import type { Account, PlaspyStore } from './store.js';

/**
 * The token of `Authorization: Bearer <token>`, the only credential Plaspy documents; undefined
 * for any other scheme, a malformed header or no header.
 */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** The account whose token the request carries; undefined for none or an unknown one. */
export function accountOf(store: PlaspyStore, request: FastifyRequest): Account | undefined {
  const token = bearerToken(request);
  return token === undefined ? undefined : store.findAccount(token);
}

/** Plaspy's 401, which shows the usage the refused call was counted in. */
export class CountedRefusal extends CredentialRefused {
  constructor(
    readonly usage: Usage,
    reason: RefusalReason,
  ) {
    super(UNAUTHORIZED_MESSAGE, reason);
  }
}

/** Why a request carries no known token; worked out only once it is refused. */
function refusalReason(request: FastifyRequest): RefusalReason {
  const header = request.headers.authorization;
  if (!header) return 'no credential';
  return bearerToken(request) === undefined ? 'bad scheme' : 'unknown token';
}

/**
 * The caller's account. A call without a valid token is counted with the anonymous calls, as the
 * documented 401 shows (its usage grows with each refused call), and refused.
 */
export function authenticate(request: FastifyRequest, store: PlaspyStore): Step<Account> {
  const account = accountOf(store, request);
  if (account) return account;
  return andThen(store.countCall(undefined), (usage) => {
    throw new CountedRefusal(usage, refusalReason(request));
  });
}

/** A caller once admitted: the account, and its usage right after this call was counted (concurrent calls each show their own). */
export interface Caller {
  account: Account;
  usage: Usage;
}

/** Counts the call, once the request is known to be valid: a rejected parameter changes nothing. */
export function admit(account: Account, store: PlaspyStore): Step<Admission<Caller>> {
  return andThen(store.countCall(account), (usage) => ({ caller: { account, usage } }));
}
