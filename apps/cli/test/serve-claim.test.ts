import { join } from 'node:path';
import { createGateway } from '@ngb/core';
import { createOpenAIProvider } from '@ngb/llm-openai';
import { createRecordingChannel } from '@ngb/plugin-sdk/testing';
import { createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';
import { describe, expect, it } from 'vitest';
import { cliEnv, localRuntime, runCli, startServe, useProjectWithModel } from './cli-harness';

const fixture = useProjectWithModel('serve-claim', localRuntime);

/** Runs `ngb serve` until it is ready, then stops it; returns what it printed. */
async function serveOnce(): Promise<string> {
  const serve = await startServe(fixture.project.dir, cliEnv(fixture.model));
  expect(await serve.stop()).toBe(0);
  return serve.stdout();
}

/** Someone sends a text on a chat channel, as a running gateway would receive it; returns the bot's answers. */
async function sayOnTelegram(text: string): Promise<string[]> {
  const store = await createSqliteStore({ path: join(fixture.project.dir, '.ngb/ngb.db') });
  const channel = createRecordingChannel({ name: 'telegram' });
  const gateway = createGateway({
    store,
    runtime: createLocalRuntime(),
    providers: { default: createOpenAIProvider({ baseURL: `${fixture.server.url}/v1`, model: 'gpt-4.1-mini' }) },
    channels: [channel],
    agentsDirectory: join(fixture.project.dir, 'agents'),
  });
  await gateway.start();
  await channel.inject({ chat: { id: 'ann-dm', isGroup: false }, sender: { id: 'ann', name: 'Ann' }, text });
  await gateway.idle();
  await gateway.stop({ graceMs: 0 });
  await store.close();
  return channel.sent.map((sent) => sent.message.text);
}

describe('claiming a gateway that `ngb serve` runs', { timeout: 90_000 }, () => {
  it('prints a one-time claim code while there is no owner; the code makes its sender the owner, once', async () => {
    const first = await serveOnce();
    const code = /send \/claim ([0-9A-Z]{10}) from any chat, or the dashboard's chat/.exec(first)?.[1];
    expect(code, first).toBeDefined();
    expect(first).toContain('This gateway has no owner yet.');
    // The code is never written to the log.
    const log = await runCli(['logs', '--level', 'debug'], { cwd: fixture.project.dir });
    expect(log.stdout).not.toContain(code);
    expect(await sayOnTelegram(`/claim ${code}`)).toEqual([expect.stringMatching(/^You are now the owner/)]);
    expect((await runCli(['user', 'ls'], { cwd: fixture.project.dir })).stdout).toMatch(
      /^\S+\s+telegram\s+ann\s+Ann\s+-\s+owner$/m,
    );
    const second = await serveOnce();
    expect(second).not.toContain('/claim');
    expect(await sayOnTelegram(`/claim ${code}`)).toEqual(['This gateway is already claimed: it has an owner.']);
  });

  it('shows a message no agent got in `ngb logs`, with its reason', async () => {
    const run = await runCli(['run', '-p', '/claim WRONGCODE1'], { cwd: fixture.project.dir, env: fixture.model });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the gateway ran no turn for the prompt (command /claim)');
    const log = await runCli(['logs', '-n', '50'], { cwd: fixture.project.dir });
    expect(log.stdout).toMatch(/ message\.dropped reason="command \/claim" channel=cli chatId=run-\S+ senderId=\S+/);
  });
});
