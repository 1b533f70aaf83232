import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const publicPackages = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((folder) => ({ folder: `${group}/${folder}`, ...readManifest(`${group}/${folder}`) }))
    .filter((manifest) => manifest.private !== true),
);

function readManifest(folder: string) {
  return JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as {
    name: string;
    private?: boolean;
    bin?: Record<string, string>;
  };
}

/** The README's `## Install` section, up to the next heading. */
function installSection(folder: string) {
  const text = readFileSync(join(root, folder, 'README.md'), 'utf8');
  const start = text.indexOf('\n## Install\n');
  if (start === -1) return undefined;
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

describe('README install sections', () => {
  it('every public package says how to install it, by its published name', () => {
    const wrong = publicPackages
      .filter((manifest) => manifest.bin?.ngb === undefined)
      .filter(
        (manifest) => !installSection(manifest.folder)?.match(new RegExp(`^npm install (--save-dev )?${manifest.name}$`, 'm')),
      )
      .map((manifest) => manifest.folder);
    expect(wrong).toEqual([]);
  });

  it('the CLI installs globally and runs by its bin name, or with npx', () => {
    const cli = publicPackages.find((manifest) => manifest.bin?.ngb !== undefined);
    const section = installSection(cli?.folder ?? 'apps/cli') ?? '';
    expect(section).toMatch(new RegExp(`^npm install -g ${cli?.name}$`, 'm'));
    expect(section).toMatch(/^ngb --help$/m);
    expect(section).toContain(`npx ${cli?.name} --help`);
  });
});
