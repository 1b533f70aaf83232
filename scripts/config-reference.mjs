// Renders docs/configuration.md from the valibot schema `ngb.config.json` is validated with and from
// each channel manifest's options schema and secrets, so the reference cannot drift from the code.
// `node scripts/config-reference.mjs` (after `pnpm build`) rewrites the page; tests/config-reference.test.ts
// fails when the committed page differs from what the current schema renders.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allowedInWords, configDescriptions, recordKeyNames } from './config-descriptions.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pagePath = join(root, 'docs/configuration.md');

/** A schema without its optional wrapper and pipe: the core schema, whether it may be left out, its default, its checks. */
function unwrap(schema) {
  const found = { optional: false, defaultValue: undefined, actions: [] };
  let current = schema;
  for (;;) {
    if (current.type === 'optional' || current.type === 'exact_optional' || current.type === 'nullish') {
      found.optional = true;
      if (current.default !== undefined && found.defaultValue === undefined) {
        found.defaultValue = typeof current.default === 'function' ? undefined : current.default;
      }
      current = current.wrapped;
    } else if (Array.isArray(current.pipe)) {
      const later = current.pipe.slice(1);
      found.actions.push(...later.filter((item) => item.kind !== 'schema'));
      const inner = later.filter((item) => item.kind === 'schema');
      // pipe[0] is the schema the pipe was built on (itself piped for `pipe(text, ...)`).
      current = inner.length > 0 ? inner[inner.length - 1] : current.pipe[0];
    } else {
      return { ...found, schema: current };
    }
  }
}

const objectTypes = new Set(['object', 'loose_object', 'strict_object']);

/** The object schemas a value may be (several for a union of shapes). */
function objectShapes(schema) {
  if (objectTypes.has(schema.type)) return [schema];
  if (schema.type === 'union' || schema.type === 'variant') {
    return schema.options.flatMap((option) => (typeof option === 'object' ? objectShapes(unwrap(option).schema) : []));
  }
  return [];
}

function typeName(schema, actions) {
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'number':
      return actions.some((action) => action.type === 'integer') ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'picklist':
      return 'string';
    case 'literal':
      return JSON.stringify(schema.literal);
    case 'array':
      return `list of ${typeName(unwrap(schema.item).schema, unwrap(schema.item).actions)}`;
    case 'record':
      return 'map';
    case 'union':
    case 'variant':
      return [...new Set(schema.options.map((option) => typeName(unwrap(option).schema, unwrap(option).actions)))].join(' or ');
    case 'unknown':
    case 'any':
      return 'any';
    default:
      return objectTypes.has(schema.type) ? 'object' : schema.type;
  }
}

function allowedValues(schema, actions) {
  const parts = [];
  if (schema.type === 'picklist') parts.push(schema.options.map((option) => JSON.stringify(option)).join(', '));
  if (schema.type === 'union') {
    const literals = schema.options.map((option) => unwrap(option).schema).filter((option) => option.type === 'literal');
    if (literals.length > 0) parts.push(literals.map((option) => JSON.stringify(option.literal)).join(', '));
  }
  const min = actions.find((action) => action.type === 'min_value' || action.type === 'gt_value');
  const max = actions.find((action) => action.type === 'max_value' || action.type === 'lt_value');
  if (min !== undefined || max !== undefined) {
    const low = min === undefined ? '' : `${min.type === 'gt_value' ? '>' : '≥'} ${min.requirement}`;
    const high = max === undefined ? '' : `${max.type === 'lt_value' ? '<' : '≤'} ${max.requirement}`;
    parts.push([low, high].filter(Boolean).join(', '));
  }
  if (actions.some((action) => action.type === 'url')) parts.push('a URL');
  if (schema.type === 'string' && actions.some((action) => action.type === 'min_length' && action.requirement === 1)) {
    parts.push('not empty');
  }
  return parts.join('; ');
}

/**
 * Every key the schema accepts, depth first, as `{ path, type, defaultValue, optional, allowed }`.
 * Map keys are written as `<name>` (see `recordKeyNames`); list items add no segment.
 */
export function configRows(schema, prefix = '', keyNames = recordKeyNames) {
  const rows = [];
  const visit = (node, path) => {
    const { schema: core, optional, defaultValue, actions } = unwrap(node);
    if (path !== '') {
      rows.push({
        path,
        type: typeName(core, actions),
        defaultValue,
        // A map's entries are as many as you write: none is required.
        optional: optional || path.endsWith('>'),
        allowed: allowedInWords[path] ?? allowedValues(core, actions),
      });
    }
    if (core.type === 'record') {
      const keyName = keyNames[path] ?? '<key>';
      visit(core.value, path === '' ? keyName : `${path}.${keyName}`);
      return;
    }
    if (core.type === 'array') {
      for (const shape of objectShapes(unwrap(core.item).schema)) visitEntries(shape, path);
      return;
    }
    for (const shape of objectShapes(core)) visitEntries(shape, path);
  };
  const visitEntries = (shape, path) => {
    for (const [key, entry] of Object.entries(shape.entries)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (!rows.some((row) => row.path === childPath)) visit(entry, childPath);
    }
  };
  visit(schema, prefix);
  return rows;
}

/** `{ option: description }` from the JSDoc above each option in a channel's `<name>-options.ts`. */
export function optionDocs(source) {
  const docs = {};
  for (const match of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\n\s*([A-Za-z][A-Za-z0-9]*)\??:/g)) {
    const text = match[1]
      .split('\n')
      .map((line) => line.replace(/^\s*\*\s?/, '').trim())
      .join(' ')
      .replace(/\{@link ([^}]+)\}/g, '$1')
      .replace(/@default\s.*$/, '')
      .replace(/\s+/g, ' ')
      .trim();
    docs[match[2]] ??= text;
  }
  return docs;
}

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
// A default holding functions (a silent logger) has no JSON form worth showing.
const holdsFunctions = (value) =>
  typeof value === 'object' && value !== null && Object.values(value).some((item) => typeof item === 'function');
const shown = (value) => (value === undefined || holdsFunctions(value) ? '' : `\`${JSON.stringify(value)}\``);

/** A markdown table of option rows: key, type, default, allowed values, and `describe(row)`. */
export function optionsTable(rows, describe) {
  const lines = ['| Key | Type | Default | Allowed | Description |', '| --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    const required = row.optional ? '' : ' (required)';
    lines.push(
      `| \`${cell(row.path)}\` | ${cell(row.type)}${required} | ${cell(shown(row.defaultValue))} | ${cell(row.allowed)} | ${cell(describe(row))} |`,
    );
  }
  return lines.join('\n');
}

/**
 * The page: the config file's keys section by section, then each channel's options and secrets.
 * `readOptionsSource(name)` returns the text of a channel's options file (for option descriptions), or undefined.
 */
export function renderConfigReference({ configSchema, channelManifests, readOptionsSource, descriptions = configDescriptions }) {
  const rows = configRows(configSchema);
  const parts = [
    '# Configuration reference',
    '',
    '<!-- Generated by scripts/config-reference.mjs from the config schema and the channel manifests: do not edit by hand. -->',
    '',
    '`ngb` reads `ngb.config.json`, found from the current folder upwards (or the file given with `--config` or',
    '`NGB_CONFIG`); `ngb init` writes a starting one. Every key is optional unless marked required. A value',
    'outside what a key allows is refused at start with a message naming the key; an unknown key is a',
    'warning, not a refusal. Secrets never go in this file: each is read from the environment variable named',
    'in [Channel secrets](#channel-options-and-secrets) (model keys: see [providers](providers.md)).',
    '',
    'A map key written `<folder>`, `<channel>`, ... stands for a name you choose (an agent folder, a channel',
    'name); `list of object` keys describe each item of the list.',
  ];
  const sections = [...new Set(rows.map((row) => row.path.split('.')[0]))];
  for (const top of sections) {
    const sectionRows = rows.filter((row) => row.path === top || row.path.startsWith(`${top}.`));
    parts.push(
      '',
      `## \`${top}\``,
      '',
      optionsTable(sectionRows, (row) => descriptions[row.path] ?? ''),
    );
  }
  parts.push(
    '',
    '## Channel options and secrets',
    '',
    'Each chat platform is configured under `channels.<channel>` with the options below, besides the',
    "gateway's own `enabled` and `streaming`. A secret option is read from its environment variable, never",
    'from this file; a secret marked *generated* is created once and kept in the data directory when its',
    'variable is unset. Each platform has its own page under [channels](channels/).',
  );
  for (const manifest of channelManifests) {
    parts.push(
      '',
      `### \`channels.${manifest.name}\` (${manifest.title})`,
      '',
      `Needs a public URL: ${manifest.needsPublicUrl ? 'yes (webhooks)' : 'no'}. Set-up: [channels/${manifest.name}.md](channels/${manifest.name}.md).`,
      '',
      channelOptionTables(manifest, readOptionsSource(manifest.name), `channels.${manifest.name}`),
    );
  }
  return `${parts.join('\n')}\n`;
}

/**
 * A channel's options table (its secrets left out) and the table of its secrets with the environment
 * variable each is read from. Keys are written under `prefix` (`channels.<name>` on the configuration
 * page, none in the package's README); `optionsSource` is the text of its options file, for descriptions.
 */
export function channelOptionTables(manifest, optionsSource, prefix = '') {
  const docs = optionDocs(optionsSource ?? '');
  const optionRows = configRows(manifest.optionsSchema, prefix).filter((row) => row.path !== prefix);
  const secretNames = new Set(manifest.secrets.map((secret) => secret.option));
  const keyOf = (row) => (prefix === '' ? row.path : row.path.slice(prefix.length + 1));
  const parts = [
    optionsTable(
      optionRows.filter((row) => !secretNames.has(keyOf(row))),
      (row) => docs[row.path.split('.').pop()] ?? '',
    ),
  ];
  if (manifest.secrets.length > 0) {
    parts.push('', '| Secret option | Environment variable | What it is |', '| --- | --- | --- |');
    for (const secret of manifest.secrets) {
      const notes = [secret.generate ? 'generated when unset' : '', secret.optional ? 'optional' : ''].filter(Boolean);
      const suffix = notes.length > 0 ? ` (${notes.join(', ')})` : '';
      parts.push(`| \`${secret.option}\` | \`${secret.env}\` | ${cell(secret.description)}${suffix} |`);
    }
  }
  return parts.join('\n');
}

/** A channel's options file, by the layout every channel package follows. */
export function readChannelOptionsSource(name) {
  const path = join(root, `packages/channel-${name}/src/${name}-options.ts`);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const host = await import(pathToFileURL(join(root, 'apps/host/dist/index.js')).href);
  writeFileSync(
    pagePath,
    renderConfigReference({
      configSchema: host.configSchema,
      channelManifests: await host.loadChannelManifests(),
      readOptionsSource: readChannelOptionsSource,
    }),
  );
  console.log(`rendered ${pagePath}`);
}
