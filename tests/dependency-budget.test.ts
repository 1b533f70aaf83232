import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain script without type declarations
import { budget, budgetProblems, embedderPackages, measureProductionDependencies } from '../scripts/dependency-budget.mjs';

interface Measurement {
  packages: { name: string; version: string; workspace: boolean; bytes: number }[];
  count: number;
  bytes: number;
  thirdParty: { count: number; bytes: number };
}
const measure = measureProductionDependencies as (folders: string[]) => Measurement;
const problemsOf = budgetProblems as (measurement: Measurement, limits?: { packages: number; megabytes: number }) => string[];

const folder = mkdtempSync(join(tmpdir(), 'ngb-budget-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Writes a package with `bytes` bytes of code at `path` (relative to the temp folder). */
function writePackage(path: string, manifest: Record<string, unknown>, bytes = 0): string {
  const directory = join(folder, path);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ version: '1.0.0', ...manifest }));
  if (bytes > 0) writeFileSync(join(directory, 'index.js'), 'x'.repeat(bytes));
  return directory;
}

describe('the dependency budget', () => {
  it("holds for the embedder's set: core, store, runtime, llm-openai and channel-telegram", () => {
    const measurement = measure(embedderPackages);
    expect(measurement.count).toBeLessThanOrEqual(budget.packages);
    expect(measurement.bytes).toBeLessThanOrEqual(budget.megabytes * 1e6);
    expect(problemsOf(measurement)).toEqual([]);
    const names = measurement.packages.map((entry) => entry.name);
    expect(names).toContain('better-sqlite3');
    // The runtime speaks to the engine itself: no Docker client library and the SSH and gRPC stacks it pulls in.
    expect(names.filter((name) => /^(dockerode|docker-modem|ssh2|@grpc\/grpc-js|protobufjs|cpu-features)$/.test(name))).toEqual(
      [],
    );
  });

  it('counts each package once with its own files, installed optional and required peer dependencies included', () => {
    const app = writePackage('app', {
      name: 'app',
      dependencies: { left: '1', right: '1' },
      optionalDependencies: { 'other-platform': '1' },
    });
    writePackage('app/node_modules/left', { name: 'left', dependencies: { shared: '1' } }, 1000);
    writePackage(
      'app/node_modules/right',
      { name: 'right', dependencies: { shared: '1' }, peerDependencies: { peer: '1' } },
      2000,
    );
    // Nested node_modules are packages of their own, never part of their parent's size.
    writePackage('app/node_modules/right/node_modules/shared', { name: 'shared', version: '2.0.0' }, 4000);
    writePackage('app/node_modules/shared', { name: 'shared' }, 8000);
    writePackage(
      'app/node_modules/peer',
      { name: 'peer', peerDependencies: { unused: '1' }, peerDependenciesMeta: { unused: { optional: true } } },
      16000,
    );
    const measurement = measure([app]);
    const sizes = Object.fromEntries(measurement.packages.map((entry) => [`${entry.name}@${entry.version}`, entry.bytes]));
    const manifestBytes = (name: string) => sizes[name]! % 1000;
    expect(Object.keys(sizes).sort()).toEqual([
      'app@1.0.0',
      'left@1.0.0',
      'peer@1.0.0',
      'right@1.0.0',
      'shared@1.0.0',
      'shared@2.0.0',
    ]);
    expect(sizes['right@1.0.0']! - manifestBytes('right@1.0.0')).toBe(2000);
    expect(sizes['shared@2.0.0']! - manifestBytes('shared@2.0.0')).toBe(4000);
    expect(measurement.thirdParty.count).toBe(6);
  });

  it('refuses to measure when a required dependency is not installed', () => {
    const broken = writePackage('broken', { name: 'broken', dependencies: { absent: '1' } });
    expect(() => measure([broken])).toThrow(/broken@1.0.0 depends on absent, which is not installed/);
  });

  it('fails a set past either limit, naming the figure and the limit', () => {
    const heavy = writePackage('heavy', { name: 'heavy', dependencies: { blob: '1' } });
    writePackage('heavy/node_modules/blob', { name: 'blob' }, 3000);
    const measurement = measure([heavy]);
    expect(problemsOf(measurement, { packages: 2, megabytes: 1 })).toEqual([]);
    expect(problemsOf(measurement, { packages: 1, megabytes: 0.001 })).toEqual([
      '2 production packages, more than the 1 allowed',
      `${(measurement.bytes / 1e6).toFixed(1)} MB of production packages, more than the 0.001 MB allowed`,
    ]);
    expect(problemsOf({ ...measurement, count: budget.packages + 1 })).toEqual([
      `${budget.packages + 1} production packages, more than the ${budget.packages} allowed`,
    ]);
    expect(problemsOf({ ...measurement, bytes: budget.megabytes * 1e6 + 1 })).toHaveLength(1);
  });
});
