import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpText } from '../../src/command-line.js';
import { runSubcommand } from '../../src/verify/cli.js';
import { makeApp } from '../helpers.js';
import { requestFromCurl } from '../production/curl.js';
import { codeBlocks, pages, readPage, root } from './markdown.js';

const blocks = pages.flatMap(codeBlocks);

describe('TypeScript examples', () => {
  // each is a test file of test/examples/, so the suite runs it; only the import differs
  const examples = readdirSync(join(root, 'test/examples'))
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => readFileSync(join(root, 'test/examples', file), 'utf8').replaceAll("from '../../src/mock.js'", "from 'provider-mock'"));
  const documented = blocks.filter((block) => block.language === 'ts' && block.code.includes("from 'provider-mock'"));

  it('finds the examples of the docs', () => {
    expect(documented.length).toBeGreaterThanOrEqual(3);
  });

  it.each(documented.map((block) => [`${block.page}: ${block.code.split('\n').find((line) => line.startsWith('it(') || line.startsWith('const')) ?? ''}`, block] as const))(
    '%s is a test of test/examples/, word for word',
    (_name, block) => {
      expect(examples.some((example) => example.includes(block.code.trim()))).toBe(true);
    },
  );
});

/** The commands of the shell blocks, a line ending in a backslash joined to the next. */
const commands = blocks
  .filter((block) => block.language === 'sh')
  .map((block) => ({ page: block.page, lines: block.code.replace(/\\\n\s*/g, '').split('\n').filter((line) => line.trim() !== '') }));

describe('curl examples, sent to a fresh mock in their order', () => {
  const runnable = commands.filter(({ lines }) => lines.every((line) => line.startsWith('curl ') && /(localhost|127\.0\.0\.1):4010\//.test(line)));

  it('finds them in the README and the testing guide', () => {
    expect(new Set(runnable.map(({ page }) => page))).toEqual(new Set(['README.md', 'docs/testing.md']));
  });

  it.each(runnable.map(({ page, lines }) => [`${page}: ${lines[0]!.slice(0, 60)}…`, lines] as const))('%s', async (_name, lines) => {
    const app = await makeApp();
    for (const line of lines) {
      const request = requestFromCurl(line);
      const url = new URL(request.url.includes('://') ? request.url : `http://${request.url}`);
      const response = await app.inject({
        method: request.method as 'GET',
        url: `${url.pathname}${url.search}`,
        headers: request.headers,
        payload: request.body,
      });
      expect(response.statusCode, `${line}\n${response.body}`).toBeLessThan(300);
    }
  });
});

/** Every command line in the pages, from shell blocks and inline code alike. */
const commandLines = [
  ...commands.flatMap(({ page, lines }) => lines.map((line) => ({ page, line }))),
  ...pages.flatMap((page) => [...readPage(page).matchAll(/`([^`\n]+)`/g)].map(([, line = '']) => ({ page, line }))),
];

describe('commands named in the docs', () => {
  const scripts = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: object }).scripts);

  it('name scripts that package.json has', () => {
    const named = commandLines.flatMap(({ page, line }) =>
      [...line.matchAll(/\bnpm (?:run ([\w:-]+)|(start|test)\b)/g)].map(([, run, builtin]) => ({ page, script: run ?? builtin! })),
    );
    expect(named.map(({ script }) => script)).toEqual(expect.arrayContaining(['start', 'test', 'test:quick']));
    for (const { page, script } of named) expect(scripts, `${page}: npm run ${script}`).toContain(script);
  });

  it('give the server and its subcommands only options their --help lists', async () => {
    const help = async (subcommand: string) => {
      let text = '';
      const write = (chunk: string) => void (text += chunk);
      expect(await runSubcommand([subcommand, '--help'], { stdout: { write }, stderr: { write } })).toBe(0);
      return text;
    };
    const helps: Record<string, string> = { '': helpText(), verify: await help('verify'), record: await help('record') };
    const invocations = commandLines.flatMap(({ page, line }) => {
      const match = /(?:provider-mock|npm start --|node dist\/cli\.js)((?: +[^|&;`]+)*)/.exec(line);
      if (!match) return [];
      const words = match[1]!.trim().split(/\s+/);
      const subcommand = ['verify', 'record'].includes(words[0] ?? '') ? words[0]! : '';
      return words.filter((word) => /^--?[a-z]/.test(word)).map((option) => ({ page, line, subcommand, option: option.split('=')[0]! }));
    });
    expect(invocations.length).toBeGreaterThan(20);
    for (const { page, line, subcommand, option } of invocations) {
      expect(helps[subcommand], `${page}: ${option} in ${line}`).toMatch(new RegExp(`(^|[\\s,])${option}\\b`, 'm'));
    }
  });
});
