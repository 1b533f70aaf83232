// Runs publint on every public package of the workspace (they must be built first).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let failed = 0;
for (const group of ['packages', 'apps']) {
  for (const entry of readdirSync(group)) {
    const directory = join(group, entry);
    const manifestPath = join(directory, 'package.json');
    if (!existsSync(manifestPath) || JSON.parse(readFileSync(manifestPath, 'utf8')).private) continue;
    try {
      const output = execFileSync('pnpm', ['exec', 'publint', '--strict', directory], { encoding: 'utf8' });
      if (/suggestion|warning|error/i.test(output)) console.log(output.trim());
    } catch (error) {
      failed += 1;
      console.error(`publint failed for ${directory}:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
}
console.log(failed === 0 ? 'publint: every public package passes' : `publint: ${failed} package(s) failed`);
process.exit(failed === 0 ? 0 : 1);
