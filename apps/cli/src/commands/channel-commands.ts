import { defineCommandGroup, defineNgbCommand } from '../define-command';

const ls = defineNgbCommand({
  path: 'ngb channel ls',
  description: 'List the chat channels: enabled in the config, secrets set, adapter built, last status reported by `ngb serve`',
  args: { json: { type: 'boolean', description: 'Print JSON' } },
  async run(flags) {
    const { listChannels } = await import('../channel/channel-actions');
    await listChannels(flags);
  },
});

/** `ngb channel ls`. */
export const channelCommands = defineCommandGroup('channel', 'List chat channels and their connection status', {
  ls: async () => ls,
});
