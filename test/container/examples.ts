import { request } from 'node:http';
import type { Example } from '../../src/data/examples.js';

/**
 * Sends a documented example's request to a mock at `baseUrl`: its status and JSON body. With
 * node:http rather than fetch, which refuses a GET with a body (Datonis documents some).
 */
export function replayExample(baseUrl: string, example: Example): Promise<{ status: number; body: unknown }> {
  const { method, url, headers = {}, body } = example.request;
  // the host is the mock's own
  const sent: Record<string, string | number> = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'host'));
  // Node sends a GET's body only with its length said
  if (body !== undefined) sent['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(`${baseUrl}${url}`, { method, headers: sent, timeout: 20_000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer to ${method} ${url}`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
