// Checks every public package of the workspace as a stranger would receive it (they must be built first):
// publint on its folder, then its packed tarball through "Are the Types Wrong?" with the ESM-only profile
// (our packages are ESM only, so CommonJS `require` is not a target).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packPublicPackages, root } from './pack-packages.mjs';

const out = mkdtempSync(join(tmpdir(), 'ngb-check-packages-'));
let failed = 0;
try {
  for (const { name, folder, tarball } of await packPublicPackages({ out })) {
    try {
      const output = execFileSync('pnpm', ['exec', 'publint', '--strict', folder], { cwd: root, encoding: 'utf8' });
      if (/suggestion|warning|error/i.test(output)) console.log(output.trim());
      execFileSync('pnpm', ['exec', 'attw', tarball, '--profile', 'esm-only', '--format', 'ascii'], {
        cwd: root,
        encoding: 'utf8',
      });
    } catch (error) {
      failed += 1;
      console.error(`${name} (${folder}) failed its package checks:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
console.log(
  failed === 0
    ? 'package checks: every public package passes publint and attw (esm-only)'
    : `package checks: ${failed} package(s) failed`,
);
process.exit(failed === 0 ? 0 : 1);
