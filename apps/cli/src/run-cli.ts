import { defineCommand, runMain } from 'citty';

const main = defineCommand({
  meta: { name: 'ngb', version: '0.0.0', description: 'NanoGridBot: a self-hosted agent gateway and development console' },
  subCommands: {},
});

/** Runs the `ngb` command line with `process.argv`. */
export async function runCli(): Promise<void> {
  await runMain(main);
}
