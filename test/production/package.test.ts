import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../src/providers.js';
import { type Finished, freshClone, killListening, runToEnd, startListening } from './fresh-clone.js';
import { root } from './image.js';

/**
 * The package as `npm pack` makes it from a fresh clone, installed into a project that has nothing
 * else: what a user of `npm install provider-mock` gets.
 */
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const npm = (args: string[], cwd: string) => runToEnd('npm', args, { cwd, timeoutMs: 170_000 });
const expectDone = (finished: Finished) => expect(finished.code, `${finished.stdout}\n${finished.stderr}`).toBe(0);

let dir = '';
let consumer = '';
let packed: string[] = [];
let install: Finished;
let clonedManifest = '';
let manifestAfterPack = '';
let publishedManifest: { scripts?: Record<string, string> } = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provider-mock-package-'));
  const clone = await freshClone(join(dir, 'clone'));
  clonedManifest = await readFile(join(clone, 'package.json'), 'utf8');
  const pack = await npm(['pack', '--json', '--pack-destination', dir], clone);
  expectDone(pack);
  manifestAfterPack = await readFile(join(clone, 'package.json'), 'utf8');
  const [result] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[\n'))) as { filename: string; files: { path: string }[] }[];
  packed = result!.files.map((file) => file.path);
  consumer = join(dir, 'consumer');
  await mkdir(consumer);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  install = await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, result!.filename)], consumer);
  expectDone(install);
  publishedManifest = JSON.parse(await readFile(join(consumer, 'node_modules/provider-mock/package.json'), 'utf8')) as typeof publishedManifest;
}, 300_000);

/** The testcontainers package, a peer dependency a consumer installs: this project's, linked. */
async function linkTestcontainers(): Promise<void> {
  const link = join(consumer, 'node_modules/testcontainers');
  await rm(link, { force: true });
  await symlink(join(root, 'node_modules/testcontainers'), link, 'dir');
}

afterAll(async () => {
  killListening();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the built library, the bundled command with its assets, fixtures and OpenAPI documents, and no source', () => {
    expect(packed).toEqual(expect.arrayContaining(['package.json', 'dist/cli.js', 'dist/server.cjs', 'dist/mock.js', 'dist/mock.d.ts', 'dist/assets/@fastify/swagger-ui/static/swagger-ui-bundle.js']));
    for (const provider of providers) expect(packed).toContain(`openapi/${provider.slug}.json`);
    expect(packed.some((file) => file.startsWith('fixtures/'))).toBe(true);
    expect(packed.filter((file) => /^(src|test|scripts|bench)\//.test(file) || file.endsWith('.map') || file.endsWith('.v8-cache'))).toEqual([]);
  });

  it('installs without running or warning about a script: its package.json has no prepare, and the clone keeps its own', () => {
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(publishedManifest.scripts?.[script], script).toBeUndefined();
    expect(`${install.stdout}\n${install.stderr}`).not.toMatch(/install-scripts|prepare/i);
    expect(manifestAfterPack).toBe(clonedManifest);
    expect(JSON.parse(clonedManifest)).toMatchObject({ scripts: { prepare: expect.any(String) } });
  });

  it('exports startMock, buildApp, the control client and the OpenAPI documents', async () => {
    const slugs = providers.map((provider) => provider.slug);
    await writeFile(
      join(consumer, 'check.mjs'),
      `import { startMock, buildApp, ControlClient, ControlError } from 'provider-mock';
const mock = await startMock({ users: 2 });
const health = await mock.control.health();
const control = mock.control instanceof ControlClient && new ControlError(404, {}) instanceof Error;
await mock.close();
const app = await buildApp({ users: 2 });
const injected = (await app.inject('/__mock/health')).statusCode;
await app.close();
const documents = [];
for (const slug of ${JSON.stringify(slugs)}) {
  documents.push((await import(\`provider-mock/openapi/\${slug}.json\`, { with: { type: 'json' } })).default.openapi);
}
const { version } = (await import('provider-mock/package.json', { with: { type: 'json' } })).default;
console.log(JSON.stringify({ health, control, injected, documents, version }));
`,
    );
    const result = await runToEnd(process.execPath, ['check.mjs'], { cwd: consumer });
    expectDone(result);
    expect(JSON.parse(result.stdout)).toEqual({
      health: { status: 'ok' },
      control: true,
      injected: 200,
      documents: slugs.map(() => expect.stringMatching(/^3\./)),
      version: pkg.version,
    });
  });

  it('exports provider-mock/testcontainers, which needs the testcontainers package only when imported', async () => {
    expect(packed).toEqual(expect.arrayContaining(['dist/testcontainers.js', 'dist/testcontainers.d.ts', 'LICENSE']));
    const check = `import('provider-mock/testcontainers').then(
  ({ ProviderMockContainer }) => console.log(typeof new ProviderMockContainer('provider-mock:test').withSeed(7).withUsers(3).withAdminToken('t').start),
  (error) => console.log(error.code),
);
`;
    await writeFile(join(consumer, 'testcontainers.mjs'), check);
    // an optional peer dependency: not installed with the package
    await rm(join(consumer, 'node_modules/testcontainers'), { force: true });
    expect((await runToEnd(process.execPath, ['testcontainers.mjs'], { cwd: consumer })).stdout).toBe('ERR_MODULE_NOT_FOUND\n');
    await linkTestcontainers();
    const result = await runToEnd(process.execPath, ['testcontainers.mjs'], { cwd: consumer });
    expectDone(result);
    expect(result.stdout).toBe('function\n');
  });

  it("typechecks a test suite against its types, the control plane's records typed per provider", async () => {
    await linkTestcontainers();
    await writeFile(
      join(consumer, 'check.ts'),
      `import {
  type AccountRecord, type BuildOptions, type Clock, type ControlClient, type DemoCredential, type Fault, type FaultSpec,
  type JournalEntry, type JournalFilter, type JournalPage, type Listing, type MockConfig, type MockServer, type ProviderAccounts,
  type ProviderWithUsers, type UserChanges, type UserRecord, buildApp, startMock,
} from 'provider-mock';
import { ProviderMockContainer, type StartedProviderMockContainer } from 'provider-mock/testcontainers';

const clock: Clock = () => Date.UTC(2024, 0, 1);
const options: BuildOptions = { seed: 42, users: 10, clock, adminToken: 'secret' };
const config: Partial<MockConfig> = { port: 0, logLevel: 'silent' };
const mock: MockServer = await startMock({ ...options, ...config });
const control: ControlClient = mock.control;
const accounts: ProviderAccounts[] = await control.accounts();
const credential: DemoCredential | undefined = accounts[0]?.credentials[0];
const spec: FaultSpec = { provider: 'fingerbank', status: 502, times: 1 };
const fault: Fault = await control.addFault(spec);
const filter: JournalFilter = { provider: 'fingerbank', limit: 1 };
const sent: JournalEntry[] = await control.requests(filter);
const account: AccountRecord<'datafiniti'> = await control.createAccount('datafiniti', { token: 'T', plan_id: 'enterprise' });
const plan: string = account.plan_id;
// @ts-expect-error plan_idd is not a field of a Datafiniti account
await control.createAccount('datafiniti', { plan_idd: 'enterprise' });
// @ts-expect-error an answer has the account's fields only
account.plan_idd;
const withUsers: ProviderWithUsers = 'plaspy';
const changes: UserChanges<'plaspy'> = { disabled: true };
const users: UserRecord<'plaspy'>[] = (await control.listUsers(withUsers, 'plaspy-demo-token')).items;
await control.updateUser('plaspy', 'plaspy-demo-token', 'usr-12345', changes);
// @ts-expect-error a Datafiniti account holds no users
await control.listUsers('datafiniti', 'T');
const app = await buildApp({ users: 1 });
const status: number = (await app.inject('/__mock/health')).statusCode;
// @ts-expect-error a seed is a number
const wrong: BuildOptions = { seed: 'one' };
const container: Promise<StartedProviderMockContainer> = new ProviderMockContainer().withSeed(1).withUsers(2).withAdminToken('t').start();
type Started = Awaited<typeof container>;
const controlOf = (started: Started): ControlClient => started.control;
type Unused = [JournalPage, Listing<unknown>, typeof credential, typeof fault, typeof sent, typeof status, typeof wrong, typeof controlOf, typeof plan, typeof users];
await mock.close();
export type { Unused };
`,
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    // skipLibCheck: fastify's own declarations take seconds to check; the @ts-expect-error lines
    // above still fail the check if the package's types were lost (any) or loosened
    const args = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    // Node's own types from this project: a consumer that writes TypeScript for Node has them
    args.push('--typeRoots', join(root, 'node_modules/@types'), '--types', 'node', 'check.ts');
    const result = await runToEnd(process.execPath, [tsc, ...args], { cwd: consumer });
    expectDone(result);
  });

  it('installs the provider-mock command: --help, --version, and a server with its docs page', async () => {
    const help = await runToEnd('npx', ['--no-install', 'provider-mock', '--help'], { cwd: consumer });
    expectDone(help);
    expect(help.stdout).toMatch(/^Usage: provider-mock \[options\]$/m);
    const version = await runToEnd('npx', ['--no-install', 'provider-mock', '--version'], { cwd: consumer });
    expectDone(version);
    expect(version.stdout).toBe(`${pkg.version}\n`);

    const server = await startListening('npx', ['--no-install', 'provider-mock', '--port', '0', '--log-level', 'silent'], consumer);
    try {
      expect((await fetch(`${server.url}/__mock/health`)).status).toBe(200);
      expect((await fetch(`${server.url}/docs/static/swagger-ui-bundle.js`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('exits 2 on a value it refuses and 1 on a port in use, saying what to do', async () => {
    const refused = await runToEnd('npx', ['--no-install', 'provider-mock', '--users', '-5'], { cwd: consumer });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--users -5: must be an integer from 0 to 1000000');

    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const inUse = await runToEnd('npx', ['--no-install', 'provider-mock', '--port', String(port)], { cwd: consumer });
      expect(inUse.code).toBe(1);
      expect(inUse.stderr).toContain(`port ${port} is in use on 127.0.0.1`);
      expect(inUse.stderr).toContain('--port 0');
    } finally {
      taken.close();
    }
  });
});
