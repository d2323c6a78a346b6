import type { FastifyRequest } from 'fastify';
import { MockHttpError } from './http-error.js';
import { providerOf } from './request-provider.js';
import { createRequestSlot } from './request-slot.js';

/** Why a credential was refused, as the journal and the debug log say it; never the credential itself. */
export const REFUSAL_REASONS = ['no credential', 'bad scheme', 'bad base64', 'password not empty', 'unknown token', 'unknown key'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** A provider's documented 401, and why it was answered: the body stays the provider's, the reason is never sent. */
export class CredentialRefused extends MockHttpError {
  constructor(
    message: string,
    readonly reason: RefusalReason,
  ) {
    super(401, message);
  }
}

const reasonSlot = createRequestSlot<RefusalReason>('why the credential was refused');

/** Keeps why a request's credential was refused, for its journal entry, and says it in a debug line. */
export function noteRefusal(error: unknown, request: FastifyRequest): void {
  if (!(error instanceof CredentialRefused)) return;
  reasonSlot.set(request, error.reason);
  const provider = providerOf(request);
  request.log.debug({ provider, reason: error.reason }, `401 ${provider}: ${error.reason}`);
}

/** Why the request's credential was refused; undefined when it was not. */
export function refusalReason(request: FastifyRequest): RefusalReason | undefined {
  return reasonSlot.find(request);
}
