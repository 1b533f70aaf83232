import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Gateway } from '@ngb/core';
import { configSchema, loadChannelManifests } from '@ngb/host';
import { silentLogger } from '@ngb/plugin-sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandTable } from '../apps/cli/src/command-table';
import { createMetrics } from '../apps/server/src/routes/metrics-routes';
import {
  anchorsOf,
  brokenLinks,
  type CommandTree,
  commandMentions,
  docsPages,
  exportedMetricNames,
  githubAnchor,
  unknownCommands,
  unknownConfigKeys,
  unknownMetrics,
} from './docs-check';

const channelManifests = await loadChannelManifests();

const root = fileURLToPath(new URL('..', import.meta.url));

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(directory, entry.name)) : [join(directory, entry.name)],
  );
}

const pages = docsPages(root, listFiles).map((path) => ({ path, name: relative(root, path), text: readFileSync(path, 'utf8') }));
const rulesPath = join(root, 'docs/prometheus-rules.yml');

let commands: CommandTree;
let knownPaths: string[];
let exported: Set<string>;

beforeAll(async () => {
  // The CLI's own command table: the list `ngb --help` prints and the subcommands each command loads.
  const tree = new Map<string, string[]>();
  for (const entry of commandTable) {
    // citty's CommandDef, as far as this reads it (citty is the CLI's dependency, not the tests').
    const definition = (await entry.load()) as { subCommands?: Record<string, unknown> };
    tree.set(entry.name, Object.keys(definition.subCommands ?? {}));
  }
  commands = tree;

  const reference = (await import(pathToFileURL(join(root, 'scripts/config-reference.mjs')).href)) as {
    configRows(schema: unknown, prefix?: string): Array<{ path: string }>;
  };
  knownPaths = [
    ...reference.configRows(configSchema).map((row) => row.path),
    ...channelManifests.flatMap((manifest) =>
      reference.configRows(manifest.optionsSchema, `channels.${manifest.name}`).map((row) => row.path),
    ),
  ];

  // The server's real registry, fed by nothing: its exposition lists every metric with its type.
  const gateway = {
    events: { lastSeq: () => 0, on: () => () => undefined },
    queueState: () => ({ waiting: [], running: [] }),
  } as unknown as Gateway;
  const metrics = createMetrics(gateway, { activeSandboxes: async () => 0 }, silentLogger);
  exported = exportedMetricNames(await (await metrics.registry()).metrics());
  metrics.close();
});

describe('the docs', () => {
  it('show only `ngb` commands and subcommands the CLI has', () => {
    const problems = pages.flatMap((page) => unknownCommands(page.name, page.text, commands));
    expect(problems).toEqual([]);
    expect(pages.flatMap((page) => commandMentions(page.text)).length).toBeGreaterThan(20);
  });

  it('name only config keys the schema has', () => {
    expect(pages.flatMap((page) => unknownConfigKeys(page.name, page.text, knownPaths))).toEqual([]);
  });

  it('link only to files and headings that exist', () => {
    // docs/security-tests.md is written alongside these pages; once it exists, its link is checked like any other.
    const pending = (problem: { problem: string }) => problem.problem === 'link to security-tests.md: no such file';
    expect(pages.flatMap((page) => brokenLinks(page.path, page.text)).filter((problem) => !pending(problem))).toEqual([]);
  });

  it('name only metrics /metrics exports, in the pages and in prometheus-rules.yml', () => {
    expect(exported.has('ngb_turns_total')).toBe(true);
    const rules = readFileSync(rulesPath, 'utf8');
    expect(unknownMetrics('docs/prometheus-rules.yml', rules, exported)).toEqual([]);
    expect(pages.flatMap((page) => unknownMetrics(page.name, page.text, exported))).toEqual([]);
  });

  it('are reachable from the README, which links the docs index', () => {
    const readme = pages.find((page) => page.name === 'README.md');
    expect(readme?.text).toContain('](docs/README.md)');
  });
});

describe('the docs checks fail on a planted bad example', () => {
  it('a command or subcommand the CLI does not have', () => {
    const page = 'Run `ngb serve`, then:\n\n```sh\nngb sessions ls\nngb session ls && ngb session purge\n```\n';
    expect(unknownCommands('bad.md', page, commands)).toEqual([
      { file: 'bad.md', line: 4, problem: 'ngb sessions: no such command' },
      { file: 'bad.md', line: 5, problem: 'ngb session purge: no such subcommand' },
    ]);
  });

  it('a config key the schema does not have', () => {
    const page = 'Set `runtime.driver`, `agents.main.heartbeat.every`, `channels.telegram.mode` and `runtime.drivers`.\n';
    expect(unknownConfigKeys('bad.md', page, knownPaths)).toEqual([
      { file: 'bad.md', line: 1, problem: '`runtime.drivers` is not a key of ngb.config.json' },
    ]);
    expect(unknownConfigKeys('bad.md', 'A `channels.telegram.pollSeconds` option.', knownPaths)).toHaveLength(1);
  });

  it('a link to a missing file, or to a heading that is not there', () => {
    const file = join(root, 'docs/bad.md');
    const page =
      '# Title\n\n[ok](#title) [ok](operations.md#backup) [gone](nowhere.md) [bad](operations.md#no-such-part) [self](#missing)\n';
    expect(brokenLinks(file, page).map((problem) => problem.problem)).toEqual([
      'link to nowhere.md: no such file',
      'link to operations.md#no-such-part: no heading with that anchor',
      'link to #missing: no heading with that anchor',
    ]);
  });

  it('GitHub anchors: punctuation dropped, code kept, repeats numbered', () => {
    expect(githubAnchor('`channels.feishu` (Feishu / Lark)')).toBe('channelsfeishu-feishu--lark');
    expect([...anchorsOf('# Options\n## Options\n```\n# not a heading\n```\n')]).toEqual(['options', 'options-1']);
  });

  it('a metric name that is not exported', () => {
    const rules = 'expr: rate(ngb_turns_total[5m]) > 0 and ngb_turns_failed_total > 0\n';
    expect(unknownMetrics('rules.yml', rules, exported)).toEqual([
      { file: 'rules.yml', line: 1, problem: 'metric ngb_turns_failed_total is not exported' },
    ]);
  });
});
