import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What the READMEs promise must be true today. Parts that are not built yet may be named (they are the
// plan), but only in a paragraph that says they are not built; a stub package's README says so first.
const root = fileURLToPath(new URL('..', import.meta.url));
const notBuiltParts = /platform APIs?\b/i;
const honestMarker = /not built|when they land|stubs today/i;

function readmes(): string[] {
  const paths = ['README.md'];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) paths.push(`${group}/${name}/README.md`);
  }
  return paths;
}

/** Paragraphs and table rows: the units a claim and its "not built yet" must share. */
function claimUnits(text: string): string[] {
  return text
    .replace(/```[\s\S]*?```/g, '')
    .split(/\n\s*\n/)
    .flatMap((paragraph) => (paragraph.trimStart().startsWith('|') ? paragraph.split('\n') : [paragraph]));
}

describe('README claims', () => {
  it.each(readmes())('%s names parts that are not built only where it says so', (path) => {
    const unbacked = claimUnits(readFileSync(join(root, path), 'utf8')).filter(
      (unit) => notBuiltParts.test(unit) && !honestMarker.test(unit),
    );
    expect(unbacked).toEqual([]);
  });
});
