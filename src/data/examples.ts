import { readdirSync } from 'node:fs';
import { fixturesDir, readFixture } from './fixtures.js';

/** A documented request/response pair, as kept in `fixtures/<slug>/examples/*.json`. */
export interface Example {
  description: string;
  source: string;
  request: { method: string; url: string; headers?: Record<string, string>; body?: string };
  /** What the mock answers: the page's answer, unless `differs` says otherwise. */
  response: { status: number; body: unknown };
  /**
   * Present only where the mock's answer is not the page's: why (the page contradicts itself, for
   * one), and the page's own answer as it shows it, kept beside the mock's.
   */
  differs?: { reason: string; documented: unknown };
}

export interface NamedExample {
  /** The file name without `.json`: the example's name in the OpenAPI documents. */
  name: string;
  /** Relative to fixtures/, for messages. */
  file: string;
  example: Example;
}

/** A provider's documented examples, in file-name order; none when it has no examples folder. */
export function readExamples(slug: string): NamedExample[] {
  const folder = `${slug}/examples`;
  let files: string[];
  try {
    files = readdirSync(`${fixturesDir}/${folder}`).filter((file) => file.endsWith('.json'));
  } catch {
    return [];
  }
  return files.sort().map((file) => ({
    name: file.slice(0, -'.json'.length),
    file: `${folder}/${file}`,
    example: readFixture<Example>(`${folder}/${file}`),
  }));
}
