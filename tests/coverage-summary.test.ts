import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ngb-coverage-summary-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const lines = (covered: number, total: number) => ({ lines: { covered, total, pct: (covered / total) * 100 } });

function summarize(files: Record<string, ReturnType<typeof lines>>, ...flags: string[]) {
  const path = join(scratch, `summary-${Object.keys(files).length}.json`);
  writeFileSync(path, JSON.stringify({ total: lines(1, 1), ...files }));
  return spawnSync(process.execPath, ['scripts/coverage-summary.mjs', path, ...flags], { cwd: root, encoding: 'utf8' });
}

describe('coverage summary', () => {
  it('prints one line per package, summing its files, and passes when every guarded package keeps 85 %', () => {
    const result = summarize({
      [join(root, 'packages/core/src/a.ts')]: lines(90, 100),
      [join(root, 'packages/core/src/b.ts')]: lines(80, 100),
      [join(root, 'apps/cli/src/c.ts')]: lines(1, 100),
    });
    expect(result.stdout).toContain('coverage core                85.0 % of 200 lines\n');
    expect(result.stdout).toMatch(/coverage cli +1\.0 % of 100 lines {2}\(not guarded\)/);
    expect(result.status).toBe(0);
  });

  it('names each engine or channel package under 85 %, and fails with --enforce', () => {
    const files = {
      [join(root, 'packages/runtime/src/a.ts')]: lines(84, 100),
      [join(root, 'packages/channel-qq/src/b.ts')]: lines(10, 100),
      [join(root, 'packages/store/src/c.ts')]: lines(99, 100),
    };
    const result = summarize(files, '--enforce');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('under 85 % of lines: channel-qq, runtime');
    const named = summarize(files);
    expect(named.status).toBe(0);
    expect(named.stderr).toContain('under 85 % of lines: channel-qq, runtime');
  });

  it('is enforced by the test run', () => {
    const testScript = readFileSync(join(root, '.ci/test.sh'), 'utf8');
    expect(testScript).toMatch(/^node scripts\/coverage-summary\.mjs \S+ --enforce \|\| status=1$/m);
  });

  it('fails when the report is missing or names no package', () => {
    expect(spawnSync(process.execPath, ['scripts/coverage-summary.mjs', join(scratch, 'none.json')], { cwd: root }).status).toBe(
      1,
    );
    expect(summarize({}).status).toBe(1);
  });
});
