import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Why verify or record could not run at all (exit 2): bad arguments, the service unreachable, a credential refused. */
export class CouldNotRun extends Error {}

/** An answer that is not the user data asked for (another status, not JSON): drift for verify, fatal for record. */
export class UnexpectedAnswer extends CouldNotRun {}

/** Requests verify sends in one run, at most: far under Fingerbank's 250 a minute, and every one a GET. */
export const REQUEST_BUDGET = 40;

export interface ServiceRequest {
  /** Path and query, e.g. `/api/users?x=1`. */
  url: string;
  headers?: Record<string, string>;
  /** A body on the GET, as the documented Datonis calls send their parameters. */
  body?: string;
}

export interface ServiceAnswer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  text: string;
}

const TIMEOUT_MS = 15_000;
/** A body larger than this is not a user list: it is cut, and fails to parse as JSON. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Sends GET requests to one service, no more than `budget` of them. Node's fetch refuses a body on a
 * GET, which the documented Datonis requests carry, so this speaks node:http directly.
 */
export class ServiceClient {
  sent = 0;

  constructor(
    readonly baseUrl: string,
    private readonly budget = REQUEST_BUDGET,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(baseUrl);
    } catch {
      throw new CouldNotRun(`--base-url: '${baseUrl}' is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CouldNotRun(`--base-url: '${baseUrl}' is not http(s)`);
  }

  get(request: ServiceRequest): Promise<ServiceAnswer> {
    if (this.sent >= this.budget) {
      return Promise.reject(new CouldNotRun(`the budget of ${this.budget} requests per run is spent`));
    }
    this.sent++;
    const url = new URL(this.baseUrl.replace(/\/+$/, '') + request.url);
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (body) headers['content-length'] = String(body.length);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = send(url, { method: 'GET', headers, timeout: TIMEOUT_MS }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        response.on('end', () => {
          const answerHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) answerHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: response.statusCode ?? 0, headers: answerHeaders, text: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        reject(new CouldNotRun(`the service at ${this.baseUrl} is unreachable: ${error.code ?? error.message}`));
      });
      outgoing.end(body);
    });
  }
}
