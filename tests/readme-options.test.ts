import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as core from '@ngb/core';
import { loadChannelManifests } from '@ngb/host';
import * as llmAnthropic from '@ngb/llm-anthropic';
import * as llmOpenAI from '@ngb/llm-openai';
import * as runtime from '@ngb/runtime';
import * as store from '@ngb/store';
import { beforeAll, describe, expect, it } from 'vitest';

const channelManifests = await loadChannelManifests();

interface OptionsTable {
  title?: string;
  package: string;
  schema: string;
  sources: Record<string, string[]>;
}
interface ReadmeEntry {
  readme: string;
  channel?: string;
  tables?: OptionsTable[];
}
interface Row {
  path: string;
  description: string;
}
interface ReadmeOptionsModule {
  readmeOptionTables: ReadmeEntry[];
  startMarker: string;
  endMarker: string;
  tableRows(table: OptionsTable, schema: unknown): Row[];
  renderOptionsBlock(
    entry: ReadmeEntry,
    input: { exportsOf: (name: string) => Record<string, unknown>; channelManifests: readonly unknown[] },
  ): string;
  currentOptionsBlock(readme: string): string | undefined;
  replaceOptionsBlock(readme: string, block: string): string;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const packages: Record<string, Record<string, unknown>> = {
  '@ngb/core': core,
  '@ngb/llm-anthropic': llmAnthropic,
  '@ngb/llm-openai': llmOpenAI,
  '@ngb/runtime': runtime,
  '@ngb/store': store,
};
const exportsOf = (name: string) => {
  const found = packages[name];
  if (found === undefined) throw new Error(`the test does not import ${name}`);
  return found;
};

let script: ReadmeOptionsModule;
beforeAll(async () => {
  script = await import(pathToFileURL(join(root, 'scripts/readme-options.mjs')).href);
});

const readme = (path: string) => readFileSync(join(root, path), 'utf8');
const render = (entry: ReadmeEntry, exports: (name: string) => Record<string, unknown> = exportsOf) =>
  script.renderOptionsBlock(entry, { exportsOf: exports, channelManifests });

describe('README options tables', () => {
  it("each README's table is what its schema renders (run `node scripts/readme-options.mjs --write` after a change)", () => {
    const stale = script.readmeOptionTables
      .filter((entry) => script.currentOptionsBlock(readme(entry.readme)) !== render(entry))
      .map((entry) => entry.readme);
    expect(stale).toEqual([]);
  });

  it('a key added to a schema makes the committed README stale', () => {
    const entry = script.readmeOptionTables.find((candidate) => candidate.readme === 'packages/llm-openai/README.md');
    if (entry === undefined) throw new Error('no entry for @ngb/llm-openai');
    const schema = llmOpenAI.openAIProviderOptionsSchema;
    // The shape valibot gives `v.optional(v.boolean(), true)` (valibot is not a dependency of the tests).
    const brandNewKey = { kind: 'schema', type: 'optional', wrapped: { kind: 'schema', type: 'boolean' }, default: true };
    const grown = { ...schema, entries: { ...schema.entries, brandNewKey } };
    const block = render(entry, () => ({ openAIProviderOptionsSchema: grown }));
    expect(block).toContain('| `brandNewKey` | boolean | `true` |');
    expect(script.currentOptionsBlock(readme(entry.readme))).not.toBe(block);
  });

  it('every channel and every package with an options schema has a table', () => {
    const readmes = script.readmeOptionTables.map((entry) => entry.readme);
    for (const manifest of channelManifests) expect(readmes).toContain(`packages/channel-${manifest.name}/README.md`);
    for (const name of Object.keys(packages)) {
      const folder = name.replace('@ngb/', 'packages/');
      expect(readmes).toContain(`${folder}/README.md`);
    }
  });

  it('describes every top-level option from the JSDoc in its source', () => {
    const undescribed = script.readmeOptionTables.flatMap((entry) =>
      (entry.tables ?? []).flatMap((table) =>
        script
          .tableRows(table, exportsOf(table.package)[table.schema])
          .filter((row) => !row.path.includes('.') && row.description === '')
          .map((row) => `${entry.readme}: ${row.path}`),
      ),
    );
    expect(undescribed).toEqual([]);
  });

  it('replaces only what lies between the markers', () => {
    const text = `# x\n\nbefore\n\n${script.startMarker}\nold\n${script.endMarker}\n\nafter $& $1\n`;
    const block = `${script.startMarker}\nnew $& table\n${script.endMarker}`;
    expect(script.replaceOptionsBlock(text, block)).toBe(`# x\n\nbefore\n\n${block}\n\nafter $& $1\n`);
    expect(() => script.replaceOptionsBlock('# no markers\n', block)).toThrow(/options:start/);
  });
});
