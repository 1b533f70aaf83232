import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config';
import { projectPaths } from '../config/project-paths';
import { configuredPlugins, locatePlugin } from './configured-plugins';
import { openPluginPins } from './plugin-pins';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** Locates the first of `plugins` in a project at `root` with this config. */
async function locate(config: Record<string, unknown>) {
  const file = join(root, 'ngb.config.json');
  const { config: parsed } = parseConfig(JSON.stringify(config), file);
  const paths = projectPaths(file, parsed);
  const [entry] = configuredPlugins(parsed, root);
  if (!entry) throw new Error('no plugin in the config');
  return locatePlugin(entry, { paths, config: parsed, pins: openPluginPins(paths.dataDir) });
}

describe('locatePlugin', () => {
  it('finds a package in the project’s node_modules and its entry for import', async () => {
    root = mkdtempSync(join(tmpdir(), 'ngb-locate-'));
    write({
      'node_modules/@acme/ngb-weather/package.json': JSON.stringify({
        name: '@acme/ngb-weather',
        version: '2.1.0',
        main: './legacy.cjs',
        exports: { '.': { types: './index.d.ts', require: './index.cjs', import: './esm/index.js' } },
      }),
      'node_modules/@acme/ngb-weather/esm/index.js': 'export default {};',
    });
    const location = await locate({ plugins: [{ package: '@acme/ngb-weather', config: { city: 'Oslo' } }] });
    expect(location.entryFile).toBe(join(root, 'node_modules/@acme/ngb-weather/esm/index.js'));
    expect(location).toMatchObject({ version: '2.1.0', pin: { state: 'new' } });
  });

  it('refuses an entry that points out of the package', async () => {
    root = mkdtempSync(join(tmpdir(), 'ngb-locate-'));
    write({
      'node_modules/sneaky/package.json': JSON.stringify({ name: 'sneaky', version: '1.0.0', main: '../../outside.js' }),
      'outside.js': 'export default {};',
    });
    await expect(locate({ plugins: ['sneaky'] })).rejects.toThrow('plugin "sneaky" (plugins.0): the entry "../../outside.js"');
  });

  it('never loads host code from where an agent writes: its folder, a folder holding it, or a writable mount', async () => {
    root = mkdtempSync(join(tmpdir(), 'ngb-locate-'));
    write({ 'agents/main/plugin/index.js': 'export default {};', 'shared/plugin/index.js': 'export default {};' });
    await expect(locate({ plugins: [{ path: './agents/main/plugin' }] })).rejects.toThrow(
      /plugin "\.\/agents\/main\/plugin" \(plugins\.0\): host plugins never load from where an agent can write: .* is or holds an agents folder/,
    );
    await expect(locate({ plugins: [{ path: '.' }] })).rejects.toThrow('is or holds an agents folder');
    const mounted = (readonly: boolean) => ({
      plugins: [{ path: './shared/plugin' }],
      agents: { main: { mounts: [{ hostPath: join(root, 'shared'), readonly }] } },
    });
    await expect(locate(mounted(false))).rejects.toThrow('which the agent "main" may write');
    expect((await locate(mounted(true))).entryFile).toBe(join(root, 'shared/plugin/index.js'));
  });
});

describe('the plugin settings of the config', () => {
  const refusal = (config: unknown) => {
    try {
      parseConfig(JSON.stringify(config), 'ngb.config.json');
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('names the key of a malformed plugin entry or rate limit', () => {
    expect(refusal({ plugins: ['../escape'] })).toContain('key "plugins.0" must be an npm package name');
    expect(refusal({ plugins: [{ path: 5 }] })).toContain('key "plugins.0" must be an npm package name, { "package"');
    expect(refusal({ plugins: { weather: {} } })).toContain('key "plugins" must be a list');
    expect(refusal({ rateLimit: { perSender: { messages: 0, windowSeconds: 60 } } })).toContain(
      'key "rateLimit.perSender.messages" must be from 1 to 1000000',
    );
    expect(refusal({ rateLimit: {} })).toContain('key "rateLimit" needs "perSender" or "perChat"');
  });

  it('reads packages by name, with their config, and folders', () => {
    const { config } = parseConfig(
      JSON.stringify({ plugins: ['a', { package: '@s/b', config: { x: 1 } }, { path: './p' }] }),
      '/project/ngb.config.json',
    );
    expect(configuredPlugins(config, '/project')).toEqual([
      { key: 'plugins.0', label: 'a', config: undefined, kind: 'package', packageName: 'a' },
      { key: 'plugins.1', label: '@s/b', config: { x: 1 }, kind: 'package', packageName: '@s/b' },
      { key: 'plugins.2', label: './p', config: undefined, kind: 'folder', folder: '/project/p' },
    ]);
  });
});
