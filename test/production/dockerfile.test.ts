import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copiesOf, envOf, instructionsOf, keptByDockerignore, readDockerignore } from './dockerfile.js';
import { command, healthcheck, root, runtime, stageNamed, stages } from './image.js';

const build = stageNamed('build');
const allInstructions = stages.flatMap((stage) => stage.instructions.map((i) => `${i.keyword} ${i.args}`));

function filesUnder(path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((name) => filesUnder(`${path}/${name}`));
}

describe('Dockerfile', () => {
  it('builds in one stage and runs in another, both on the same pinned Node major', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
    expect(build.image).toMatch(/^node:20-(slim|alpine)$/);
    expect(runtime.image).toBe(build.image);
  });

  it('compiles in the build stage with npm ci and npm run build', () => {
    expect(instructionsOf(build, 'RUN')).toEqual([expect.stringMatching(/^npm ci\b/), 'npm run build']);
    expect(copiesOf(build).flatMap((copy) => copy.sources)).toContain('src');
    expect(copiesOf(build).flatMap((copy) => copy.sources)).toEqual(expect.arrayContaining(['scripts/build.ts', 'scripts/bundle.mjs']));
  });

  it('keeps only what runs the server in the runtime stage: the bundle and what it reads, no node_modules', () => {
    const copies = copiesOf(runtime);
    expect(copies.flatMap((copy) => copy.sources).sort()).toEqual(['/app/dist/assets', '/app/dist/cli.js', '/app/dist/server.cjs', 'fixtures', 'openapi', 'package.json']);
    for (const copy of copies.filter((copy) => copy.sources.some((source) => source.startsWith('/app/dist')))) {
      expect(copy.from).toBe('build');
    }
    expect(instructionsOf(runtime, 'RUN')).toEqual([]);
  });

  it('runs as a non-root user', () => {
    const user = instructionsOf(runtime, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user?.split(':')[0]);
  });

  it('listens on 0.0.0.0:4010 in production mode and exposes that port', () => {
    expect(envOf(runtime)).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '4010' });
    expect(instructionsOf(runtime, 'EXPOSE')).toEqual(['4010']);
  });

  it('checks health on /__mock/health with node, adding neither curl nor wget', () => {
    const check = healthcheck();
    expect(check[0]).toBe('node');
    expect(check.join(' ')).toContain('/__mock/health');
    expect(check.join(' ')).toContain('process.env.PORT');
    for (const line of allInstructions) expect(line).not.toMatch(/\b(curl|wget|apt-get|apk)\b/);
  });

  it('starts the production path the production test runs: node dist/cli.js, the package bin', () => {
    expect(command()).toEqual(['node', 'dist/cli.js']);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.values(pkg.bin)).toEqual(['dist/cli.js']);
    expect(existsSync(join(root, 'src/cli.ts'))).toBe(true);
  });
});

describe('.dockerignore', () => {
  const patterns = readDockerignore(join(root, '.dockerignore'));

  it('sends every file the Dockerfile copies from the build context', () => {
    const sources = stages.flatMap((stage) =>
      copiesOf(stage)
        .filter((copy) => copy.from === undefined)
        .flatMap((copy) => copy.sources),
    );
    const dropped = sources.flatMap(filesUnder).filter((file) => !keptByDockerignore(patterns, file));
    expect(dropped).toEqual([]);
  });

  it('leaves out what the image must build or install for itself, and what it does not need', () => {
    for (const path of ['node_modules/fastify/package.json', 'dist/cli.js', '.git/HEAD', 'test/helpers.ts', 'coverage/index.html']) {
      expect(keptByDockerignore(patterns, path), path).toBe(false);
    }
  });
});

describe('docker-compose.yml', () => {
  it('builds this folder and publishes port 4010', () => {
    const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    expect(compose).toMatch(/^\s+build: \.$/m);
    expect(compose).toMatch(/^\s+- "4010:4010"$/m);
  });
});
