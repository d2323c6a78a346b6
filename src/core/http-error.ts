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
    super(message);
    this.name = 'MockHttpError';
  }
}
