// A plugin for `ngb`: signs every reply the gateway sends, and gives agents a `hello` tool that runs on the
// host (in the gateway, not in the sandbox). Load it with `"plugins": [{ "package": "ngb-plugin-hello",
// "config": { "greeting": "Howdy", "signature": "the bot" } }]` in ngb.config.json.
import { definePlugin, defineTool } from '@ngb/plugin-sdk';
import * as v from 'valibot';

export const configSchema = v.object({
  greeting: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty')), 'Hello'),
  signature: v.optional(v.pipe(v.string(), v.maxLength(40, 'must be at most 40 characters'))),
});

export default definePlugin({
  name: 'hello',
  version: '1.0.0',
  configSchema,
  setup(api) {
    const { greeting, signature } = api.config;
    if (signature !== undefined) {
      api.on('message:sending', ({ message }) => ({ ...message, text: `${message.text}\n\n— ${signature}` }));
    }
    api.registerTool(
      defineTool({
        name: 'hello',
        description: 'Greets someone by name.',
        inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        where: 'host',
        async execute(input) {
          if (typeof input.name !== 'string' || input.name.trim() === '') return { output: 'pass a name', isError: true };
          return { output: `${greeting}, ${input.name.trim()}!` };
        },
      }),
    );
    api.logger.info('hello plugin ready', { signed: signature !== undefined });
  },
});
