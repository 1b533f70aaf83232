import { defineCommandGroup, defineNgbCommand } from '../define-command';

const build = defineNgbCommand({
  path: 'ngb image build',
  description: 'Build the sandbox image (ngb-agent:latest) with progress; offline from the apt mirror when no registry answers',
  args: {
    base: { type: 'string', description: 'auto (default), registry or offline', valueHint: 'kind' },
    image: { type: 'string', description: 'Image name (default ngb-agent)', valueHint: 'name' },
  },
  async run(flags) {
    const { buildImage } = await import('../image/build-image');
    await buildImage(flags);
  },
});

/** `ngb image build`. */
export const imageCommands = defineCommandGroup('image', 'Build the sandbox image', { build: async () => build });
