import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Why verify or record could not run at all (exit 2): bad arguments, the service unreachable, a credential refused. */
export class CouldNotRun extends Error {}

/** An answer that is not the user data asked for (another status, not JSON): drift for verify, fatal for record. */
export class UnexpectedAnswer extends CouldNotRun {}

/** Requests verify sends in one run, at most: far under Fingerbank's 250 a minute, and every one a GET. */
export const REQUEST_BUDGET = 40;

/** The whole run's time limit when none is given (`--timeout`, in seconds). */
export const DEFAULT_TIMEOUT_S = 60;
/** An answer's body larger than this is refused (`--max-answer-bytes`): 32 MiB holds 50,000 Plaspy users. */
export const DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024;

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

export interface ServiceLimits {
  /** Requests sent at most. */
  budget?: number;
  /** Time for every request of the run together, from the client's creation. */
  timeoutMs?: number;
  /** Bytes of one answer's body, at most. */
  maxAnswerBytes?: number;
}

/** Silence on a connection this long ends it, whatever time the run has left. */
const IDLE_MS = 15_000;
/** Bytes of a malformed answer quoted in the message that refuses it. */
const QUOTED_BYTES = 160;

/** What a parse error of Node's HTTP client carries: the reason and the bytes it could not read. */
type ParseError = NodeJS.ErrnoException & { reason?: string; rawPacket?: Buffer };

/** A header's values as one string, names in lower case. */
function headersOf(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * Sends GET requests to one service, within a budget of requests, a time limit for all of them
 * together and a size limit per answer. Node's fetch refuses a body on a GET, which the documented
 * Datonis requests carry, so this speaks node:http directly.
 */
export class ServiceClient {
  sent = 0;
  readonly budget: number;
  readonly timeoutMs: number;
  readonly maxAnswerBytes: number;
  private readonly deadline: number;

  constructor(
    readonly baseUrl: string,
    limits: ServiceLimits = {},
  ) {
    this.budget = limits.budget ?? REQUEST_BUDGET;
    this.timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_S * 1000;
    this.maxAnswerBytes = limits.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    if (!(this.timeoutMs > 0) || !(this.maxAnswerBytes >= 1)) throw new CouldNotRun('the time limit and the answer size limit must be above 0');
    this.deadline = Date.now() + this.timeoutMs;
    let parsed: URL;
    try {
      parsed = new URL(baseUrl);
    } catch {
      throw new CouldNotRun(`--base-url: '${baseUrl}' is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CouldNotRun(`--base-url: '${baseUrl}' is not http(s)`);
  }

  private outOfTime(what: string, received: number): CouldNotRun {
    const seconds = this.timeoutMs / 1000;
    return new CouldNotRun(`the run went past its --timeout of ${seconds} s: ${what} had sent ${received} bytes of its answer by then`);
  }

  get(request: ServiceRequest): Promise<ServiceAnswer> {
    if (this.sent >= this.budget) {
      return Promise.reject(new CouldNotRun(`the budget of ${this.budget} requests per run is spent`));
    }
    const left = this.deadline - Date.now();
    const what = `GET ${request.url.split('?')[0]}`;
    if (left <= 0) return Promise.reject(this.outOfTime(what, 0));
    this.sent++;
    const url = new URL(this.baseUrl.replace(/\/+$/, '') + request.url);
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (body) headers['content-length'] = String(body.length);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      let received = 0;
      let settled = false;
      const fail = (error: CouldNotRun) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outgoing.destroy();
        reject(error);
      };
      const timer = setTimeout(() => fail(this.outOfTime(what, received)), left);
      let outgoing: ReturnType<typeof httpRequest>;
      try {
        // the run's own timer ends the request first when less time than IDLE_MS is left, so that the reason is --timeout
        outgoing = send(url, { method: 'GET', headers, ...(left > IDLE_MS ? { timeout: IDLE_MS } : {}) });
      } catch (error) {
        clearTimeout(timer);
        // a header Node refuses to send: a credential with a line break, say; the value is not repeated
        reject(new CouldNotRun(`cannot send ${what}: ${(error as NodeJS.ErrnoException).code ?? 'invalid request'}`));
        return;
      }
      outgoing.on('response', (response) => {
        const announced = Number(response.headers['content-length']);
        if (announced > this.maxAnswerBytes) {
          return fail(new CouldNotRun(`${what}: the service announced an answer of ${announced} bytes (Content-Length), over the limit of ${this.maxAnswerBytes} (--max-answer-bytes)`));
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > this.maxAnswerBytes) {
            return fail(new CouldNotRun(`${what}: the answer went past ${this.maxAnswerBytes} bytes (--max-answer-bytes) without ending`));
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, headers: headersOf(response), text: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', () => {
          const of = Number.isFinite(announced) ? ` of the ${announced} it announced` : '';
          fail(new CouldNotRun(`${what}: the service closed the connection after ${received} bytes of the answer${of}`));
        });
      });
      outgoing.on('timeout', () => fail(new CouldNotRun(`${what}: the service sent nothing for ${IDLE_MS / 1000} s`)));
      outgoing.on('error', (error: ParseError) => {
        if (error.code?.startsWith('HPE_')) {
          const sent = error.rawPacket ? ` ${JSON.stringify(error.rawPacket.subarray(0, QUOTED_BYTES).toString('latin1'))}` : '';
          return fail(new CouldNotRun(`${what}: the service sent an answer that is not valid HTTP (${error.reason ?? error.message}, ${error.code}):${sent}`));
        }
        fail(new CouldNotRun(`the service at ${this.baseUrl} is unreachable: ${error.code ?? error.message}`));
      });
      outgoing.end(body);
    });
  }
}
