import { defineNgbCommand } from '../define-command';

/** `ngb doctor`: what works and what to fix. */
export const doctorCommand = defineNgbCommand({
  path: 'ngb doctor',
  description:
    'Check Node.js, the config, the database, Docker, the sandbox image, the model settings and the channels; each line ok or fail with the fix',
  args: { json: { type: 'boolean', description: 'Print JSON' } },
  async run(flags) {
    const { executeDoctor } = await import('../doctor/execute-doctor');
    await executeDoctor(flags);
  },
});
