import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Every ```ts block of every package README is typechecked, in one tsc run, against the packages'
// built declarations: an example naming an export or an option key the package no longer has fails.
// A block that is meant to be partial starts with `// not compiled: <why>`.
const root = fileURLToPath(new URL('..', import.meta.url));
const readmes = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group)).map((name) => `${group}/${name}/README.md`),
);

interface Example {
  readme: string;
  line: number;
  code: string;
}

function examplesOf(readme: string): Example[] {
  const text = readFileSync(join(root, readme), 'utf8');
  const examples: Example[] = [];
  for (const match of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const code = match[1] ?? '';
    if (code.startsWith('// not compiled:')) continue;
    examples.push({ readme, line: text.slice(0, match.index).split('\n').length + 1, code });
  }
  return examples;
}

/**
 * `@ngb/<name>[/<entry>]` → the built declaration file its `exports` names; and each third-party
 * dependency of a package (valibot, ...) → where that package has it, as an installer would.
 */
function declarationPaths(): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const group of ['packages', 'apps']) {
    for (const folder of readdirSync(join(root, group))) {
      const manifest = JSON.parse(readFileSync(join(root, group, folder, 'package.json'), 'utf8')) as {
        name: string;
        exports?: Record<string, { types?: string }>;
        dependencies?: Record<string, string>;
      };
      for (const [entry, target] of Object.entries(manifest.exports ?? {})) {
        if (target.types === undefined) continue;
        paths[join(manifest.name, entry)] = [join(root, group, folder, target.types)];
      }
      for (const dependency of Object.keys(manifest.dependencies ?? {})) {
        if (dependency.startsWith('@ngb/')) continue;
        paths[dependency] ??= [join(root, group, folder, 'node_modules', dependency)];
      }
    }
  }
  return paths;
}

// Inside the repository, so `node:` types and dev tools (vitest) resolve as they do for a user.
const cacheFolder = join(root, 'node_modules/.cache');
mkdirSync(cacheFolder, { recursive: true });
const folder = mkdtempSync(join(cacheFolder, 'readme-examples-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Writes the examples as modules and runs tsc once; the errors, each named by README and line. */
function typecheck(examples: Example[]): string[] {
  const files = examples.map((example, index) => {
    const file = `example-${index}.ts`;
    writeFileSync(join(folder, file), example.code);
    return file;
  });
  writeFileSync(
    join(folder, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'ESNext',
        moduleResolution: 'Bundler',
        moduleDetection: 'force',
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        noEmit: true,
        types: ['node'],
        paths: declarationPaths(),
      },
      files,
    }),
  );
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], {
    cwd: folder,
    encoding: 'utf8',
  });
  const lines = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  if (result.status !== 0 && lines.length === 0) throw new Error(`tsc failed without output (status ${result.status})`);
  return lines.map((line) =>
    line.replace(/^example-(\d+)\.ts\((\d+),(\d+)\)/, (_, index: string, row: string, column: string) => {
      const example = examples[Number(index)];
      return example === undefined ? line : `${example.readme}:${example.line + Number(row) - 1}:${column}`;
    }),
  );
}

describe('README examples', () => {
  it('every ts block of every README compiles against the built packages, and a wrong option key does not', () => {
    const examples = readmes.flatMap(examplesOf);
    expect(examples.length).toBeGreaterThan(readmes.length - 2);
    // One broken example checked in the same run: it proves tsc sees the packages' real types.
    const broken: Example = {
      readme: 'broken-example',
      line: 1,
      code: "import { createOpenAIProvider } from '@ngb/llm-openai';\ncreateOpenAIProvider({ model: 'gpt', modelName: 'x' });\n",
    };
    const errors = typecheck([...examples, broken]);
    expect(errors.filter((error) => !error.startsWith('broken-example:'))).toEqual([]);
    expect(errors.join('\n')).toMatch(/^broken-example:2:.*modelName/m);
  }, 300_000); // one tsc run over every example

  it('each README except the CLI one shows at least one compiled example', () => {
    const without = readmes.filter((readme) => readme !== 'apps/cli/README.md' && examplesOf(readme).length === 0);
    expect(without).toEqual([]);
  });
});
