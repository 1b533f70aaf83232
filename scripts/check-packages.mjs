// Checks every public package of the workspace as a stranger would receive it (they must be built first):
// publint on its folder, then the packed tarball through "Are the Types Wrong?" with the ESM-only profile
// (our packages are ESM only, so CommonJS `require` is not a target).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const packed = mkdtempSync(join(tmpdir(), 'ngb-check-packages-'));
const run = (command, args, options = {}) => execFileSync(command, args, { encoding: 'utf8', ...options });
let failed = 0;
try {
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(group)) {
      const directory = join(group, entry);
      const manifestPath = join(directory, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (manifest.private) continue;
      try {
        const output = run('pnpm', ['exec', 'publint', '--strict', directory]);
        if (/suggestion|warning|error/i.test(output)) console.log(output.trim());
        const before = new Set(readdirSync(packed));
        run('pnpm', ['pack', '--pack-destination', packed], { cwd: directory });
        const tarball = readdirSync(packed).find((name) => !before.has(name));
        if (tarball === undefined) throw new Error('pnpm pack wrote no tarball');
        run('pnpm', ['exec', 'attw', join(packed, tarball), '--profile', 'esm-only', '--format', 'ascii']);
      } catch (error) {
        failed += 1;
        console.error(`${manifest.name} (${directory}) failed its package checks:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
      }
    }
  }
} finally {
  rmSync(packed, { recursive: true, force: true });
}
console.log(
  failed === 0
    ? 'package checks: every public package passes publint and attw (esm-only)'
    : `package checks: ${failed} package(s) failed`,
);
process.exit(failed === 0 ? 0 : 1);
