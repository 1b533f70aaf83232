import { type ChildProcess, spawn } from 'node:child_process';
import { createFakeDiscordServer, createFakeLlmServer, type FakeDiscordServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, cliBin, cliEnv, createProject, waitFor } from './cli-harness';
import { describeWithDocker } from './docker-gate';

describeWithDocker('ngb serve with the Discord channel (fake Discord, fake model, Docker sandbox)', () => {
  let discord: FakeDiscordServer;
  let llm: FakeLlmServer;
  let project: { dir: string; remove: () => void };
  let child: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';
  const ann = { id: '77', username: 'ann' };
  // What people see in the DM channel: every message the bot posted, and every edit of one.
  const seen = () => [...discord.sent.map((message) => message.content), ...discord.edits.map((edit) => edit.content)];

  beforeAll(async () => {
    assertBuilt();
    discord = await createFakeDiscordServer();
    llm = await createFakeLlmServer({ acceptAnyModel: true });
    project = await createProject('serve-discord', (config) => {
      config.runtime = { driver: 'docker' };
      config.channels = { discord: { enabled: true, apiUrl: discord.apiUrl } };
    });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await discord?.close();
    await llm?.close();
    project?.remove();
  });

  it('a DM claims the gateway, then a message runs a tool in the sandbox and the reply reaches Discord', async () => {
    child = spawn(process.execPath, [cliBin, 'serve', '--grace', '1'], {
      cwd: project.dir,
      env: cliEnv({ OPENAI_BASE_URL: `${llm.url}/v1`, DISCORD_BOT_TOKEN: discord.token }),
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    await waitFor(() => stderr.includes('Ctrl-C stops the gateway'), `serve to be ready (stderr: ${stderr})`, 30_000);
    await waitFor(() => discord.attachedConnections() === 1, 'the Discord gateway session', 20_000);
    const code = /send \/claim ([0-9A-Z]{10})/.exec(stdout)?.[1];
    expect(code, stdout).toBeDefined();

    discord.injectMessage({ channelId: '1001', author: ann, content: `/claim ${code}` });
    await waitFor(
      () => seen().some((text) => text.startsWith('You are now the owner')),
      `the claim answer (seen: ${seen()})`,
      20_000,
    );

    discord.injectMessage({ channelId: '1001', author: ann, content: 'run: echo sandboxed-$((6*7))' });
    await waitFor(() => seen().some((text) => text.includes('sandboxed-42')), `the tool output (seen: ${seen()})`, 60_000);
    expect(discord.sent.every((message) => message.channelId === '1001')).toBe(true);
    expect(discord.typing.map((typing) => typing.channelId)).toContain('1001');
    const modelRequests = llm.requests().filter((request) => JSON.stringify(request.body).includes('sandboxed'));
    expect(modelRequests.length).toBeGreaterThanOrEqual(2);
  });
});
