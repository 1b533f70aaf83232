import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { configSchema, loadChannelManifests } from '@ngb/host';
import { beforeAll, describe, expect, it } from 'vitest';

const channelManifests = await loadChannelManifests();

interface Row {
  path: string;
  type: string;
  defaultValue: unknown;
  optional: boolean;
  allowed: string;
}
interface ReferenceModule {
  configRows(schema: unknown, prefix?: string): Row[];
  optionDocs(source: string): Record<string, string>;
  renderConfigReference(input: {
    configSchema: unknown;
    channelManifests: readonly unknown[];
    readOptionsSource: (name: string) => string | undefined;
    descriptions?: Record<string, string>;
  }): string;
  readChannelOptionsSource(name: string): string | undefined;
}

const root = fileURLToPath(new URL('..', import.meta.url));
let reference: ReferenceModule;
let descriptions: Record<string, string>;
beforeAll(async () => {
  reference = await import(pathToFileURL(join(root, 'scripts/config-reference.mjs')).href);
  ({ configDescriptions: descriptions } = await import(pathToFileURL(join(root, 'scripts/config-descriptions.mjs')).href));
});

const render = (schema: unknown = configSchema) =>
  reference.renderConfigReference({
    configSchema: schema,
    channelManifests,
    readOptionsSource: reference.readChannelOptionsSource,
  });

describe('configuration reference', () => {
  it('docs/configuration.md is what the current schema renders (run `node scripts/config-reference.mjs` after a change)', () => {
    expect(readFileSync(join(root, 'docs/configuration.md'), 'utf8')).toBe(render());
  });

  it('a key added to the schema makes the committed page stale', () => {
    // The shape valibot gives `v.optional(v.boolean(), true)` (valibot is not a dependency of the tests).
    const brandNewKey = { kind: 'schema', type: 'optional', wrapped: { kind: 'schema', type: 'boolean' }, default: true };
    const grown = { ...configSchema, entries: { ...configSchema.entries, brandNewKey } };
    expect(render(grown)).toContain('| `brandNewKey` | boolean | `true` |');
    expect(readFileSync(join(root, 'docs/configuration.md'), 'utf8')).not.toBe(render(grown));
  });

  it('reads keys, types, defaults and allowed values from the schema', () => {
    const rows = reference.configRows(configSchema);
    expect(rows.find((row) => row.path === 'runtime.driver')).toMatchObject({
      type: 'string',
      defaultValue: 'docker',
      allowed: '"docker", "local", "auto"',
    });
    expect(rows.find((row) => row.path === 'dashboard.port')).toMatchObject({ type: 'integer', defaultValue: 7070 });
    expect(rows.find((row) => row.path === 'agents.<folder>.mcpServers.name')).toMatchObject({ optional: false });
  });

  it('describes every key of the schema, and no key it does not have', () => {
    const paths = reference.configRows(configSchema).map((row) => row.path);
    expect(paths.filter((path) => !(path in descriptions))).toEqual([]);
    expect(Object.keys(descriptions).filter((path) => !paths.includes(path))).toEqual([]);
  });

  it("lists each channel's options and the variable each secret is read from", () => {
    const page = render();
    for (const manifest of channelManifests) {
      expect(page).toContain(`### \`channels.${manifest.name}\``);
      for (const secret of manifest.secrets) expect(page).toContain(`| \`${secret.option}\` | \`${secret.env}\` |`);
    }
  });

  it('takes option descriptions from the JSDoc above each option', () => {
    const source = '/**\n * The token, see {@link createX}.\n * @default 5\n */\n  token: v.string(),\n';
    expect(reference.optionDocs(source)).toEqual({ token: 'The token, see createX.' });
  });
});
