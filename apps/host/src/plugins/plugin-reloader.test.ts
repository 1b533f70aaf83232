import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, createRecordingLogger } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config';
import { projectPaths } from '../config/project-paths';
import { configuredPlugins, hashFolder } from './configured-plugins';
import { startPluginReloader, type WatchFolder } from './plugin-reloader';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

/**
 * A reloader over one plugin folder on disk, with the folder's change events and the gateway's
 * swaps in the test's hands: `replacePlugin` records the names it was asked to swap (what it would
 * import is the gateway's business, tested with a real `ngb serve`).
 */
async function reloaderOfOneFolder(options: { maxReloads?: number } = {}) {
  root = mkdtempSync(join(tmpdir(), 'ngb-reloader-'));
  mkdirSync(join(root, 'plugins/mine'), { recursive: true });
  writeFileSync(join(root, 'plugins/mine/index.js'), 'export default 1;');
  const file = join(root, 'ngb.config.json');
  const { config } = parseConfig(JSON.stringify({ plugins: [{ path: './plugins/mine' }] }), file);
  const [entry] = configuredPlugins(config, root);
  if (entry?.kind !== 'folder') throw new Error('expected a folder plugin');
  const clock = createManualClock();
  let changed: (path: string | undefined) => void = () => undefined;
  const watch: WatchFolder = (_folder, onChange) => {
    changed = onChange;
    return () => undefined;
  };
  const swaps: string[] = [];
  const refusals: string[] = [];
  const stop = startPluginReloader({
    folders: [{ entry, name: 'mine', contentHash: await hashFolder(entry.folder) }],
    replacePlugin: async (name, load) => {
      swaps.push(name);
      if (options.maxReloads !== undefined)
        await load().catch((error: Error) => {
          refusals.push(error.message);
          throw error;
        });
      return { name, version: '1.0.0' };
    },
    paths: projectPaths(file, config),
    config,
    clock,
    logger: createRecordingLogger(),
    debounceMs: 300,
    maxReloads: options.maxReloads,
    watch,
  });
  const edit = (text: string) => {
    writeFileSync(join(root, 'plugins/mine/index.js'), text);
    changed('index.js');
  };
  return { clock, swaps, refusals, edit, changed: (path: string) => changed(path), stop };
}

describe('the plugin reloader', () => {
  it('reloads once a burst of changes has settled, on the clock, and not for files that never reload or unchanged content', async () => {
    const { clock, swaps, edit, changed, stop } = await reloaderOfOneFolder();
    edit('export default 2;');
    await clock.advance(200);
    edit('export default 3;');
    await clock.advance(299);
    expect(swaps).toEqual([]);
    await clock.advance(1);
    await expect.poll(() => swaps).toEqual(['mine']);

    changed('node_modules/dep/index.js');
    changed('.git/index');
    expect(clock.pendingDelays()).toEqual([]);

    // An editor saving without a change, and a save back to what runs: nothing is imported. The
    // folder's reloads run one after another, so the change after them shows whether they swapped.
    changed('index.js');
    await clock.advance(300);
    edit('export default 3;');
    await clock.advance(300);
    edit('export default 4;');
    await clock.advance(300);
    await expect.poll(() => swaps.length).toBe(2);
    expect(swaps).toEqual(['mine', 'mine']);
    stop();
  });

  it('stops importing after `maxReloads` versions, the running one kept and the refusal reported', async () => {
    const { clock, refusals, edit, stop } = await reloaderOfOneFolder({ maxReloads: 0 });
    edit('export default 2;');
    await clock.advance(300);
    await expect
      .poll(() => refusals)
      .toEqual([
        '[@ngb/host] not reloaded: 0 hot reloads in this process already keep their modules in memory (Node.js cannot unload them); restart the gateway to load the change',
      ]);
    stop();
  });
});
