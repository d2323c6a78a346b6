import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { providers } from '../providers.js';
import { type Check, DRIFT_MEANING } from './checks.js';
import { CouldNotRun, REQUEST_BUDGET } from './http.js';
import { DEFAULT_MAX_USERS, recordProvider } from './record.js';
import { type VerifyReport, verifyProvider } from './verify.js';

const SLUGS = providers.map((provider) => provider.slug).join('|');

export const VERIFY_HELP = `provider-mock verify: is the mock still right? Checks a real service against what the mock promises.

Usage: provider-mock verify <${SLUGS}> --base-url <url> --credential <value> [--format text|json|junit] [--out <file>]

Sends the provider's documented requests (fixtures/<provider>/examples/) to the service, with the
documented credential replaced by yours (the documented refusals keep theirs), and checks each
answer: status, content type, the headers the mock sends (Fingerbank's X-RateLimit-*, Retry-After
on a 429), the body against the mock's schema for that status (a missing field, another type, and
a field the service has that the mock lacks, each with its JSON pointer), the error envelope; and,
for Datonis, paging and order on the account's own users.

It sends only GET requests, at most ${REQUEST_BUDGET} per run (Fingerbank allows 250 a minute), and writes nothing.

Options:
  --base-url <url>       the service, e.g. https://api.fingerbank.org
  --credential <value>   a valid credential of your account (API key or token)
  --format <format>      text (a table, the default), json or junit
  --out <file>           write the report there instead of standard output
  -h, --help             show this help

Exit status: 0 every check passed, 1 some drift, 2 could not run (bad arguments, the service
unreachable, the credential refused), with the reason on standard error.
`;

export const RECORD_HELP = `provider-mock record: start the mock from your real account's data.

Usage: provider-mock record <${SLUGS}> --base-url <url> --credential <value> --out <dir> [--as <credential>] [--max-users <n>]

Reads the account behind the credential (and its users, for Plaspy and Datonis, paging through
them) and writes <dir>/<provider>/accounts.json in the mock's own fixture format, under the
credential given by --as, or a generated one printed at the end: your real credential is written
nowhere. Then \`provider-mock --fixtures <dir>\` (or MOCK_FIXTURES=<dir>) serves those records
beside the documented ones, their usage counters starting from the recorded figures.

Options:
  --base-url <url>       the service
  --credential <value>   a valid credential of your account
  --out <dir>            the folder to write into (created when missing)
  --as <credential>      the credential the mock serves the records under (default: generated)
  --max-users <n>        users read at most (default ${DEFAULT_MAX_USERS})
  -h, --help             show this help

Exit status: 0 recorded, 2 could not run (bad arguments, the service unreachable, the credential refused).
`;

export interface Output {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

export function textReport(report: VerifyReport): string {
  const rows = [['result', 'case', 'check', 'pointer', 'mock expects', 'service sent', 'meaning']];
  for (const check of report.checks) {
    rows.push([
      check.result,
      check.case,
      check.check,
      check.pointer ?? '',
      check.expected ?? '',
      check.actual ?? '',
      check.kind ? DRIFT_MEANING[check.kind] : '',
    ]);
  }
  const drifts = report.checks.filter((check) => check.result === 'drift').length;
  const summary = `${report.provider} at ${report.baseUrl}: ${report.checks.length - drifts} passed, ${drifts} drift, ${report.requests} of ${report.budget} requests`;
  return `${table(rows)}\n\n${summary}\n`;
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

function testName(check: Check): string {
  return check.pointer ? `${check.check} ${check.pointer}` : check.check;
}

export function junitReport(report: VerifyReport): string {
  const failures = report.checks.filter((check) => check.result === 'drift');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="provider-mock verify" tests="${report.checks.length}" failures="${failures.length}">`,
    `  <testsuite name="${xml(report.provider)}" tests="${report.checks.length}" failures="${failures.length}" errors="0" skipped="0">`,
  ];
  for (const check of report.checks) {
    const open = `    <testcase classname="${xml(`${report.provider}.${check.case}`)}" name="${xml(testName(check))}"`;
    if (check.result === 'pass') {
      lines.push(`${open}/>`);
      continue;
    }
    const message = `${DRIFT_MEANING[check.kind!]}: the mock expects ${check.expected ?? ''}, the service sent ${check.actual ?? ''}`;
    lines.push(`${open}>`, `      <failure type="${xml(check.kind!)}" message="${xml(message)}"/>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** A string option's value, if given. */
const option = (values: Parsed['values'], name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);

function commonArgs(argv: string[], extra: Record<string, { type: 'string' | 'boolean' }>): Parsed {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'base-url': { type: 'string' },
        credential: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...extra,
      },
    });
  } catch (error) {
    throw new CouldNotRun((error as Error).message);
  }
}

function required(values: Record<string, unknown>, names: string[]): void {
  const missing = names.filter((name) => typeof values[name] !== 'string' || values[name] === '');
  if (missing.length > 0) throw new CouldNotRun(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
}

function oneProvider(positionals: string[]): string {
  if (positionals.length !== 1) throw new CouldNotRun(`name one provider: ${SLUGS}`);
  return positionals[0]!;
}

async function verify(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = commonArgs(argv, { format: { type: 'string' }, out: { type: 'string' } });
  if (values.help) {
    output.stdout.write(VERIFY_HELP);
    return 0;
  }
  const format = option(values, 'format') ?? 'text';
  if (!['text', 'json', 'junit'].includes(format)) throw new CouldNotRun(`--format: text, json or junit, not '${format}'`);
  const provider = oneProvider(positionals);
  required(values, ['base-url', 'credential']);
  const report = await verifyProvider({ provider, baseUrl: option(values, 'base-url')!, credential: option(values, 'credential')! });
  const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'junit' ? junitReport(report) : textReport(report);
  const out = option(values, 'out');
  if (out !== undefined) {
    writeFileSync(out, text);
    const drifts = report.checks.filter((check) => check.result === 'drift').length;
    output.stdout.write(`${report.provider}: ${drifts === 0 ? 'every check passed' : `${drifts} drift`}; report in ${out}\n`);
  } else {
    output.stdout.write(text);
  }
  return report.passed ? 0 : 1;
}

async function record(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = commonArgs(argv, { out: { type: 'string' }, as: { type: 'string' }, 'max-users': { type: 'string' } });
  if (values.help) {
    output.stdout.write(RECORD_HELP);
    return 0;
  }
  const provider = oneProvider(positionals);
  required(values, ['base-url', 'credential', 'out']);
  const maxUsers = option(values, 'max-users');
  const result = await recordProvider({
    provider,
    baseUrl: option(values, 'base-url')!,
    credential: option(values, 'credential')!,
    out: option(values, 'out')!,
    as: option(values, 'as'),
    maxUsers: maxUsers === undefined ? undefined : Number(maxUsers),
  });
  output.stdout.write(`recorded ${result.summary} into ${result.file} (${result.requests} requests)\n`);
  output.stdout.write(
    result.generated
      ? `served under the generated credential: ${result.as}\n`
      : `served under the credential given by --as\n`,
  );
  output.stdout.write(`start the mock with: provider-mock --fixtures ${option(values, 'out')!}\n`);
  return 0;
}

/** `provider-mock verify …` and `provider-mock record …`: answers the exit status. */
export async function runSubcommand(argv: string[], output: Output = process): Promise<number> {
  const [command, ...rest] = argv;
  try {
    return command === 'verify' ? await verify(rest, output) : await record(rest, output);
  } catch (error) {
    if (!(error instanceof CouldNotRun)) throw error;
    output.stderr.write(`provider-mock ${command}: could not run: ${error.message}\n`);
    return 2;
  }
}
