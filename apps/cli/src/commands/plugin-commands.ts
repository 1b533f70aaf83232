import { defineCommandGroup, defineNgbCommand } from '../define-command';

const ls = defineNgbCommand({
  path: 'ngb plugin ls',
  description:
    'List the plugins of ngb.config.json: source, version, pin (npm packages) and state (loaded, needs approval, failed) as `ngb serve` last reported it',
  args: { json: { type: 'boolean', description: 'Print JSON' } },
  async run(flags) {
    const { listPlugins } = await import('../plugin/plugin-actions');
    await listPlugins(flags);
  },
});

const approve = defineNgbCommand({
  path: 'ngb plugin approve',
  description:
    'Pin an npm plugin as it is installed now (its version and the hash of its files and dependencies), so it loads again after a change',
  args: { name: { type: 'positional', required: true, description: 'The package name, as in `plugins`' } },
  async run(flags) {
    const { approvePlugin } = await import('../plugin/plugin-actions');
    await approvePlugin(flags);
  },
});

/** `ngb plugin ls | approve`. */
export const pluginCommands = defineCommandGroup('plugin', 'List the plugins and their state; approve a changed npm plugin', {
  ls: async () => ls,
  approve: async () => approve,
});
