import { spawn } from 'node:child_process';
import { createFakeLlmServer, createFakeTelegramServer, type FakeLlmServer, type FakeTelegramServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, cliBin, cliEnv, createProject, runCli, waitFor } from './cli-harness';
import { describeWithDocker } from './docker-gate';

describeWithDocker('ngb serve with the Telegram channel against the fake Bot API', () => {
  let model: FakeLlmServer;
  let telegram: FakeTelegramServer;
  let project: { dir: string; remove: () => void };
  beforeAll(async () => {
    assertBuilt();
    model = await createFakeLlmServer({ acceptAnyModel: true });
    telegram = await createFakeTelegramServer();
    project = await createProject('serve-telegram', (config) => {
      config.runtime = { driver: 'docker' };
      config.channels = { telegram: { enabled: true, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 5 } };
    });
  });
  afterAll(async () => {
    await telegram?.close();
    await model?.close();
    project?.remove();
  });

  /** What the bot said in chat 1001, as people see it. */
  const said = () => telegram.sent.filter((sent) => sent.method === 'sendMessage' || sent.method === 'editMessageText');

  it('is claimed with /claim from Telegram, then answers with the output of a tool run in the sandbox', async () => {
    const env = cliEnv({ OPENAI_BASE_URL: `${model.url}/v1`, TELEGRAM_BOT_TOKEN: telegram.token });
    const child = spawn(process.execPath, [cliBin, 'serve', '--grace', '1'], { cwd: project.dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor(() => stderr.includes('Ctrl-C stops the gateway'), `serve to be ready (stderr: ${stderr})`, 30_000);
      const code = /send \/claim ([0-9A-Z]{10})/.exec(stdout)?.[1];
      expect(code, stdout).toBeDefined();
      await waitFor(() => telegram.calls.find((call) => call.method === 'getUpdates'), 'the first poll', 10_000);

      await telegram.injectMessage({ chatId: 1001, from: { id: 77, first_name: 'Ann' }, text: `/claim ${code}` });
      await waitFor(() => said().find((sent) => /owner/.test(sent.text ?? '')), `the claim answer (${stderr})`, 20_000);
      expect(said()[0]).toMatchObject({ chatId: '1001', text: expect.stringMatching(/^You are now the owner/) });

      await telegram.injectMessage({
        chatId: 1001,
        from: { id: 77, first_name: 'Ann' },
        text: 'run: echo hello-from-the-sandbox',
      });
      const reply = await waitFor(
        () => said().find((sent) => sent.text?.includes('hello-from-the-sandbox') && sent.text.includes('printed')),
        `the reply with the tool output (stderr: ${stderr})`,
        45_000,
      );
      expect(reply.chatId).toBe('1001');
      expect(telegram.sent.some((sent) => sent.method === 'sendChatAction' && sent.action === 'typing')).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describeWithDocker('ngb serve with a Telegram token the platform refuses', () => {
  let model: FakeLlmServer;
  let telegram: FakeTelegramServer;
  let project: { dir: string; remove: () => void };
  beforeAll(async () => {
    assertBuilt();
    model = await createFakeLlmServer({ acceptAnyModel: true });
    telegram = await createFakeTelegramServer();
    project = await createProject('serve-telegram-refused', (config) => {
      config.runtime = { driver: 'docker' };
      config.channels = { telegram: { enabled: true, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 5 } };
    });
  });
  afterAll(async () => {
    await telegram?.close();
    await model?.close();
    project?.remove();
  });

  it('still serves; the channel is failed with the reason in /readyz and `ngb channel ls`, and is not retried', async () => {
    const env = cliEnv({ OPENAI_BASE_URL: `${model.url}/v1`, TELEGRAM_BOT_TOKEN: '123456:not-the-token' });
    const child = spawn(process.execPath, [cliBin, 'serve', '--grace', '1'], { cwd: project.dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor(() => stderr.includes('Ctrl-C stops the gateway'), `serve to be ready (stderr: ${stderr})`, 30_000);
      const url = /open\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout + stderr)?.[1];
      expect(url, stdout + stderr).toBeDefined();
      const ready = await waitFor(
        async () => {
          const response = await fetch(`${url}/readyz`);
          const body = (await response.json()) as { channels?: Record<string, string> };
          if (body.channels === undefined) throw new Error(`/readyz answered ${response.status} ${JSON.stringify(body)}`);
          return body.channels.telegram === 'failed' ? { status: response.status, body } : undefined;
        },
        'the telegram channel to be failed in /readyz',
        15_000,
      );
      expect(ready.status).toBe(503);
      const listed = await runCli(['channel', 'ls'], { cwd: project.dir });
      expect(listed.stdout).toMatch(/^telegram\s.*failed \(token rejected \(401\)/m);
      const attempts = telegram.calls.filter((call) => call.method === 'getMe').length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(telegram.calls.filter((call) => call.method === 'getMe').length).toBe(attempts);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
