// Prints the line coverage of each package from vitest's json-summary report, one line per package, and
// names the guarded packages under their floor; with `--enforce` it fails then.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const floorPercent = 85;
// The engine and every channel: the parts a user's messages and the sandbox's output go through.
const guarded = (name) => ['core', 'store', 'runtime', 'sandbox'].includes(name) || name.startsWith('channel-');

const path = process.argv[2];
const enforce = process.argv.includes('--enforce');
let summary;
try {
  summary = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.error(`coverage summary: cannot read ${path}: ${error.message}`);
  process.exit(1);
}
const packages = new Map();
for (const [file, figures] of Object.entries(summary)) {
  if (file === 'total') continue;
  const match = /^(packages|apps)\/([^/]+)\//.exec(relative(process.cwd(), file));
  if (!match) continue;
  const entry = packages.get(match[2]) ?? { covered: 0, total: 0 };
  entry.covered += figures.lines.covered;
  entry.total += figures.lines.total;
  packages.set(match[2], entry);
}
if (packages.size === 0) {
  console.error('coverage summary: the report names no package');
  process.exit(1);
}
const below = [];
for (const [name, { covered, total }] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
  const percent = total === 0 ? 100 : (covered / total) * 100;
  const mark = guarded(name) ? (percent >= floorPercent ? '' : `  < ${floorPercent} %`) : '  (not guarded)';
  if (guarded(name) && percent < floorPercent) below.push(name);
  console.log(`coverage ${name.padEnd(18)} ${percent.toFixed(1).padStart(5)} % of ${total} lines${mark}`);
}
if (below.length > 0) {
  console.error(`coverage summary: under ${floorPercent} % of lines: ${below.join(', ')}`);
  if (enforce) process.exit(1);
}
