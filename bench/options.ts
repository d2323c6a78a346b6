import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Rounds of the whole comparison; the report shows medians over them. */
  runs: number;
  /** Seconds of measured load per endpoint and server. */
  duration: number;
  /** Seconds of load before each measurement, not counted. */
  warmup: number;
  connections: number;
  /** Servers on one core, the load generator on the others (see cpus.ts). */
  pin: boolean;
  /** Generated users per provider for the start-up and memory measurements. */
  sizes: number[];
  /** Users for the large-data latency phase (0: skip it). */
  large: number;
  /** Only these endpoints (by name); all when empty. */
  only: string[];
  /** Measure Stoplight Prism beside the mock (installed on demand). */
  peer: boolean;
  /** Where latest.md and latest.json go. */
  out: string;
  /** The whole run stops measuring after this many minutes, and reports what it has. */
  maxMinutes: number;
  /**
   * 0: the usual comparison. 2 or more: only the comparison of that many replicas sharing their
   * state in Redis with one replica keeping it in memory, and of as many Fastify floors making one
   * round trip to Redis per answer with one floor in memory (see replicas.ts).
   */
  replicas: number;
}

const HELP = `npm run bench -- [options]   (each option also as BENCH_<NAME> in the environment)

  --runs <n>          rounds of the comparison, medians reported (default 3)
  --duration <s>      measured seconds per endpoint and server (default 3)
  --warmup <s>        seconds of load before each measurement (default 2)
  --connections <n>   concurrent connections of the load generator (default 10)
  --sizes <list>      generated users for start-up and memory (default 0,10000,100000,1000000)
  --large <n>         users for the large-data latency phase, 0 to skip (default 1000000)
  --only <list>       only these endpoints, e.g. datafiniti,datonis-search-all
  --no-peer           skip Stoplight Prism
  --no-pin            let servers and the load generator share every core (default: servers on
                      the last core, the load generator on the others, with taskset)
  --out <dir>         where latest.md and latest.json go (default bench/results)
  --max-minutes <n>   stop measuring after this long and report what was measured (default 25)
  --replicas <n>      instead of the above: <n> replicas (2 or more) sharing their state in a
                      redis-server of the bench's own against one replica with its state in
                      memory, endpoint by endpoint, beside <n> Fastify floors each making one
                      round trip to that Redis per answer against one floor in memory (the
                      least one round trip costs), written to replicas.md and replicas.json
                      (--sizes, --large and --no-peer do not apply; needs Debian's redis-server,
                      or REDIS_SERVER_PATH)
  --quick             one short round at small sizes: --runs 1 --duration 1 --warmup 1
                      --sizes 0,10000 --large 100000
`;

function numbers(text: string): number[] {
  return text
    .split(',')
    .map((part) => Number(part.trim().replaceAll('_', '')))
    .filter((value) => Number.isFinite(value) && value >= 0);
}

export function readOptions(argv = process.argv.slice(2), env = process.env): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      sizes: { type: 'string' },
      large: { type: 'string' },
      only: { type: 'string' },
      'no-peer': { type: 'boolean' },
      'no-pin': { type: 'boolean' },
      out: { type: 'string' },
      'max-minutes': { type: 'string' },
      replicas: { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const quick = values.quick ?? env.BENCH_QUICK === '1';
  const pick = (flag: string | undefined, name: string, normal: string, fast: string) =>
    flag ?? env[`BENCH_${name}`] ?? (quick ? fast : normal);
  const options: BenchOptions = {
    runs: Number(pick(values.runs, 'RUNS', '3', '1')),
    duration: Number(pick(values.duration, 'DURATION', '3', '1')),
    warmup: Number(pick(values.warmup, 'WARMUP', '2', '1')),
    connections: Number(pick(values.connections, 'CONNECTIONS', '10', '10')),
    sizes: numbers(pick(values.sizes, 'SIZES', '0,10000,100000,1000000', '0,10000')),
    large: Number(pick(values.large, 'LARGE', '1000000', '100000')),
    only: pick(values.only, 'ONLY', '', '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    peer: !(values['no-peer'] ?? env.BENCH_NO_PEER === '1'),
    pin: !(values['no-pin'] ?? env.BENCH_NO_PIN === '1'),
    out: pick(values.out, 'OUT', 'bench/results', 'bench/results/tmp'),
    maxMinutes: Number(pick(values['max-minutes'], 'MAX_MINUTES', '25', '10')),
    replicas: Number(pick(values.replicas, 'REPLICAS', '0', '0')),
  };
  for (const key of ['runs', 'duration', 'warmup', 'connections', 'large', 'maxMinutes'] as const) {
    if (!Number.isFinite(options[key]) || options[key] < 0) throw new Error(`--${key} must be a number ≥ 0`);
  }
  if (options.runs < 1 || options.connections < 1 || options.duration <= 0) {
    throw new Error('--runs, --connections and --duration must be positive');
  }
  if (options.replicas !== 0 && !(Number.isInteger(options.replicas) && options.replicas >= 2)) {
    throw new Error('--replicas must be a whole number, 2 or more: the replicas compared with one replica in memory');
  }
  if (options.replicas > options.connections) {
    throw new Error(`--replicas ${options.replicas} needs at least as many --connections (${options.connections}): each replica gets its share of them`);
  }
  return options;
}
