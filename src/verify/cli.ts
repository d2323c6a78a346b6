import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { providers } from '../providers.js';
import { CouldNotRun, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_TIMEOUT_S, REQUEST_BUDGET } from './http.js';
import { DEFAULT_MAX_USERS, recordProvider } from './record.js';
import { hideCredential, printable } from './redact.js';
import { junitReport, textReport } from './reports.js';
import { verifyProvider } from './verify.js';

const SLUGS = providers.map((provider) => provider.slug).join('|');

/** The options verify and record share: the credential, and the limits that make every run end. */
const COMMON_OPTIONS = `  --base-url <url>          the service, e.g. https://api.fingerbank.org
  --credential <value>      a valid credential of your account (API key or token)
  --credential-env <NAME>   read the credential from the environment variable NAME instead, which
                            keeps it out of the process list (ps) and the shell's history
  --timeout <seconds>       time for the whole run, every request together (default ${DEFAULT_TIMEOUT_S})
  --max-answer-bytes <n>    bytes of one answer's body, at most (default ${DEFAULT_MAX_ANSWER_BYTES}, 32 MiB)`;

export const VERIFY_HELP = `provider-mock verify: is the mock still right? Checks a real service against what the mock promises.

Usage: provider-mock verify <${SLUGS}> --base-url <url> (--credential <value> | --credential-env <NAME>)
       [--format text|json|junit] [--out <file>] [--only-drift] [--timeout <seconds>] [--max-answer-bytes <n>]

Sends the provider's documented requests (fixtures/<provider>/examples/) to the service, with the
documented credential replaced by yours (the documented refusals keep theirs), and checks each
answer: status, content type, the headers the mock sends (Fingerbank's X-RateLimit-*, Retry-After
on a 429), the body against the mock's schema for that status (a missing field, another type, and
a field the service has that the mock lacks, each with its JSON pointer), the error envelope; and,
for Datonis, paging and order on the account's own users. An answer with another status (a 500
where 200 was expected) is drift. The table shows each distinct drift once, with the cases it
appeared in.

It sends only GET requests, at most ${REQUEST_BUDGET} per run (Fingerbank allows 250 a minute), and writes nothing.
Your credential appears in no report and no message: it is shown as [credential].

Options:
${COMMON_OPTIONS}
  --format <format>         text (a table, the default), json or junit
  --out <file>              write the report there instead of standard output
  --only-drift              leave the passed checks out of the table (text format; the summary
                            still counts them)
  -h, --help                show this help

Exit status: 0 every check passed, 1 some drift, 2 could not run (bad arguments, the service
unreachable, the credential refused, --timeout reached, an answer over --max-answer-bytes or not
valid HTTP, --out not writable), with the reason in one line on standard error.
`;

export const RECORD_HELP = `provider-mock record: start the mock from your real account's data.

Usage: provider-mock record <${SLUGS}> --base-url <url> (--credential <value> | --credential-env <NAME>)
       --out <dir> [--as <credential>] [--max-users <n>] [--timeout <seconds>] [--max-answer-bytes <n>]

Reads the account behind the credential (and its users, for Plaspy and Datonis, paging through
them) and writes <dir>/<provider>/accounts.json in the mock's own fixture format, under the
credential given by --as, or a generated one printed at the end: your real credential is written
nowhere. What the service sent is checked against the mock's schema first: a field of another
type is refused, by its JSON pointer, and nothing is written. Then \`provider-mock --fixtures <dir>\`
(or MOCK_FIXTURES=<dir>) serves those records beside the documented ones, their usage counters
starting from the recorded figures.

Options:
${COMMON_OPTIONS}
  --out <dir>               the folder to write into (created when missing)
  --as <credential>         the credential the mock serves the records under (default: generated)
  --max-users <n>           users read at most (default ${DEFAULT_MAX_USERS})
  -h, --help                show this help

Exit status: 0 recorded, 2 could not run (bad arguments, the service unreachable, the credential
refused, --timeout reached, an answer over --max-answer-bytes, not valid HTTP or not fitting the
mock's schema, --out not writable), with the reason in one line on standard error.
`;

export interface Output {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

type Values = Record<string, string | boolean | undefined>;

interface Parsed {
  values: Values;
  positionals: string[];
}

/** A string option's value, if given. */
const option = (values: Values, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);

/** The largest --timeout: a day. */
const MAX_TIMEOUT_S = 86_400;
/** The largest --max-answer-bytes: 1 GiB, held in memory while it is read. */
const MAX_ANSWER_BYTES = 1024 * 1024 * 1024;

function commonArgs(argv: string[], extra: Record<string, { type: 'string' | 'boolean' }>): Parsed {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'base-url': { type: 'string' },
        credential: { type: 'string' },
        'credential-env': { type: 'string' },
        timeout: { type: 'string' },
        'max-answer-bytes': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...extra,
      },
    });
  } catch (error) {
    throw new CouldNotRun((error as Error).message);
  }
}

function required(values: Values, names: string[]): void {
  const missing = names.filter((name) => typeof values[name] !== 'string' || values[name] === '');
  if (missing.length > 0) throw new CouldNotRun(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
}

function oneProvider(positionals: string[]): string {
  if (positionals.length !== 1) throw new CouldNotRun(`name one provider: ${SLUGS}`);
  return positionals[0]!;
}

/** The credential from --credential, or from the variable --credential-env names (which keeps it out of `ps`). */
function credentialOf(values: Values, env: NodeJS.ProcessEnv): string {
  const given = option(values, 'credential');
  const variable = option(values, 'credential-env');
  if (given !== undefined && variable !== undefined) throw new CouldNotRun('give --credential or --credential-env, not both');
  if (variable === undefined) {
    if (given === undefined || given === '') throw new CouldNotRun('missing --credential (or --credential-env NAME)');
    return given;
  }
  const value = env[variable];
  if (value === undefined) throw new CouldNotRun(`--credential-env ${variable}: no such environment variable is set`);
  if (value === '') throw new CouldNotRun(`--credential-env ${variable}: the variable is empty`);
  return value;
}

/** --timeout and --max-answer-bytes, checked. */
function limitsOf(values: Values): { timeoutMs: number; maxAnswerBytes: number } {
  const timeout = option(values, 'timeout');
  const seconds = timeout === undefined ? DEFAULT_TIMEOUT_S : Number(timeout);
  if (!/^\d+(\.\d+)?$/.test(timeout ?? '1') || !(seconds > 0) || seconds > MAX_TIMEOUT_S) {
    throw new CouldNotRun(`--timeout: seconds for the whole run, above 0 and up to ${MAX_TIMEOUT_S} (e.g. --timeout 120), not '${timeout}'`);
  }
  const bytes = option(values, 'max-answer-bytes');
  const maxAnswerBytes = bytes === undefined ? DEFAULT_MAX_ANSWER_BYTES : Number(bytes);
  if (!/^\d+$/.test(bytes ?? '1') || maxAnswerBytes < 1 || maxAnswerBytes > MAX_ANSWER_BYTES) {
    throw new CouldNotRun(`--max-answer-bytes: a whole number of bytes from 1 to ${MAX_ANSWER_BYTES} (e.g. --max-answer-bytes 67108864), not '${bytes}'`);
  }
  return { timeoutMs: Math.round(seconds * 1000), maxAnswerBytes };
}

/** Refuses an --out that cannot be written before any request is spent. */
function checkWritable(out: string): void {
  const file = resolve(out);
  try {
    const existing = statSync(file, { throwIfNoEntry: false });
    if (existing?.isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    accessSync(existing ? file : dirname(file), constants.W_OK);
  } catch (error) {
    throw new CouldNotRun(`--out: cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? 'unwritable'})`);
  }
}

function writeOut(out: string, text: string): void {
  try {
    writeFileSync(out, text);
  } catch (error) {
    throw new CouldNotRun(`--out: cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** What a run was given: the credential, so that no message shows it. */
interface Run {
  credential?: string;
}

async function verify(argv: string[], output: Output, env: NodeJS.ProcessEnv, run: Run): Promise<number> {
  const { values, positionals } = commonArgs(argv, { format: { type: 'string' }, out: { type: 'string' }, 'only-drift': { type: 'boolean' } });
  if (values.help) {
    output.stdout.write(VERIFY_HELP);
    return 0;
  }
  const format = option(values, 'format') ?? 'text';
  if (!['text', 'json', 'junit'].includes(format)) throw new CouldNotRun(`--format: text, json or junit, not '${format}'`);
  const provider = oneProvider(positionals);
  required(values, ['base-url']);
  run.credential = credentialOf(values, env);
  const limits = limitsOf(values);
  const out = option(values, 'out');
  if (out !== undefined) checkWritable(out);
  const report = await verifyProvider({ provider, baseUrl: option(values, 'base-url')!, credential: run.credential, ...limits });
  const text =
    format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'junit' ? junitReport(report) : textReport(report, { onlyDrift: values['only-drift'] === true });
  if (out !== undefined) {
    writeOut(out, text);
    const drifts = report.checks.filter((check) => check.result === 'drift').length;
    output.stdout.write(`${report.provider}: ${drifts === 0 ? 'every check passed' : `${drifts} drift`}; report in ${out}\n`);
  } else {
    output.stdout.write(text);
  }
  return report.passed ? 0 : 1;
}

async function record(argv: string[], output: Output, env: NodeJS.ProcessEnv, run: Run): Promise<number> {
  const { values, positionals } = commonArgs(argv, { out: { type: 'string' }, as: { type: 'string' }, 'max-users': { type: 'string' } });
  if (values.help) {
    output.stdout.write(RECORD_HELP);
    return 0;
  }
  const provider = oneProvider(positionals);
  required(values, ['base-url', 'out']);
  run.credential = credentialOf(values, env);
  const maxUsers = option(values, 'max-users');
  const result = await recordProvider({
    provider,
    baseUrl: option(values, 'base-url')!,
    credential: run.credential,
    out: option(values, 'out')!,
    as: option(values, 'as'),
    maxUsers: maxUsers === undefined ? undefined : Number(maxUsers),
    ...limitsOf(values),
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

/**
 * `provider-mock verify …` and `provider-mock record …`: answers the exit status. Exit 1 means drift
 * and nothing else: whatever else stops a run is exit 2 and one line on standard error, escaped, the
 * credential hidden.
 */
export async function runSubcommand(argv: string[], output: Output = process, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  const run: Run = {};
  try {
    return command === 'verify' ? await verify(rest, output, env, run) : await record(rest, output, env, run);
  } catch (error) {
    const reason = error instanceof CouldNotRun ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    const shown = run.credential === undefined ? reason : hideCredential(reason, run.credential);
    output.stderr.write(`provider-mock ${command}: could not run: ${printable(shown)}\n`);
    return 2;
  }
}
