/**
 * An error a provider answers with. Handlers and hooks throw it; each provider's errors.ts turns it
 * into that provider's wire format.
 */
export class MockHttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    // an answer, not a fault: no stack is recorded, which would cost more than the rest of a 429
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'MockHttpError';
  }
}
