import type { FastifyRequest } from 'fastify';
import { createRequestSlot } from './request-slot.js';

const providerSlot = createRequestSlot<string>('the provider of the request');

/** The slug of the provider that served this request; null for the control plane and unknown paths. */
export function providerOf(request: FastifyRequest): string | null {
  return providerSlot.find(request) ?? null;
}

/** Marks a request as a provider's: by its scope, or, though none of its routes served it, by its path's prefix. */
export function markProvider(request: FastifyRequest, slug: string): void {
  providerSlot.set(request, slug);
}
