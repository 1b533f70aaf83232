import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWorkspace, type Violation } from './check-conventions';

const root = fileURLToPath(new URL('../..', import.meta.url));
const format = (violations: Violation[]) => violations.map((violation) => `${violation.file}: ${violation.rule}`).join('\n');

describe('workspace conventions', () => {
  it('hold for every package and app', () => {
    const violations = checkWorkspace(root);
    expect(format(violations)).toBe('');
  });
});

describe('the conventions check fails when a rule is broken', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ngb-conventions-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  function writePackage(group: string, name: string, manifest: object, files: Record<string, string>): void {
    const directory = join(scratch, group, name);
    mkdirSync(join(directory, 'src'), { recursive: true });
    writeFileSync(join(directory, 'package.json'), JSON.stringify(manifest));
    for (const [path, text] of Object.entries(files)) writeFileSync(join(directory, path), text);
  }

  const goodManifest = {
    name: '@ngb/good',
    type: 'module',
    sideEffects: false,
    engines: { node: '>=20.19' },
    files: ['dist'],
    exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
    dependencies: { '@ngb/plugin-sdk': 'workspace:*' },
  };
  const goodFiles = {
    'README.md': '# good',
    'tsup.config.ts': 'export default {};',
    'tsconfig.json': '{}',
    'src/index.ts': "export { a } from './a';\nimport type { Logger } from '@ngb/plugin-sdk';\n",
  };
  mkdirSync(join(scratch, 'apps'), { recursive: true });
  writePackage('packages', 'good', goodManifest, goodFiles);
  writePackage(
    'packages',
    'bad',
    {
      ...goodManifest,
      name: '@ngb/bad',
      exports: { '.': { import: './dist/index.js', types: './x' }, './lib': './dist/lib.js', './bin': './dist/bin.js' },
      files: ['src'],
    },
    {
      'README.md': '',
      'tsconfig.json': '{}',
      'src/index.ts': "export * from './a';\n",
      'src/a.ts': "export const a = process.env.TOKEN;\nconsole.log(a);\nimport { createGateway } from '@ngb/core';\n",
      'src/a.test.ts': 'console.log(process.env.CI);\n',
    },
  );
  writePackage(
    'packages',
    'leaky',
    { ...goodManifest, name: '@ngb/leaky', dependencies: { '@ngb/core': '*', '@ngb/testing': '*' } },
    goodFiles,
  );

  const hostFiles = {
    ...goodFiles,
    'src/index.ts': "export { compose } from './compose';\n",
    'src/compose.ts':
      "import { createGateway } from '@ngb/core';\nexport const token = process.env.TOKEN;\nconsole.log(token);\nprocess.stderr.write('x');\n",
  };
  const appManifest = { ...goodManifest, dependencies: { '@ngb/core': '*', '@ngb/plugin-sdk': '*' } };
  writePackage('apps', 'host', { ...appManifest, name: '@ngb/host', private: true }, hostFiles);
  writePackage('apps', 'tool', { ...appManifest, name: '@ngb/tool' }, hostFiles);

  const violations = checkWorkspace(scratch);
  const lines = format(violations);

  it('passes a package that follows every rule', () => {
    expect(lines).not.toContain('packages/good/');
  });

  it.each([
    ['packages/bad/package.json', 'exports["."] must list "types" first'],
    ['packages/bad/package.json', '"files" must be ["dist"]'],
    ['packages/bad/package.json', 'exports["./lib"] must list "types" first'],
    ['packages/bad/README.md', 'README.md must exist and not be empty'],
    ['packages/bad/tsup.config.ts', 'tsup.config.ts must exist'],
    ['packages/bad/src/index.ts', 'no `export *`'],
    ['packages/bad/src/a.ts', 'no process.env in library code'],
    ['packages/bad/src/a.ts', 'no console.* in library code'],
    ['packages/bad/src/a.ts', 'imports @ngb/core'],
    ['packages/leaky/package.json', 'may not depend on @ngb/core'],
    ['packages/leaky/package.json', '@ngb/testing may only be a devDependency'],
    ['apps/host/src/compose.ts', 'no process.env in the composition root'],
    ['apps/host/src/compose.ts', 'no console.* in the composition root'],
    ['apps/host/src/compose.ts', 'no process.stdout, process.stderr or process.exit in the composition root'],
  ])('names %s for "%s"', (file, rule) => {
    expect(lines).toContain(`${file}: `);
    expect(violations.some((violation) => violation.file === file && violation.rule.includes(rule))).toBe(true);
  });

  it('lets the composition root depend on every package, and an app print and read the environment', () => {
    expect(lines).not.toContain('apps/host/package.json');
    expect(lines).not.toContain('apps/tool/');
  });

  it('lets test files print and read the environment', () => {
    expect(lines).not.toContain('packages/bad/src/a.test.ts');
  });
});
