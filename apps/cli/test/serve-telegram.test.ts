import { createFakeLlmServer, createFakeTelegramServer, type FakeLlmServer, type FakeTelegramServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, cliEnv, createProject, runCli, startServe, waitFor } from './cli-harness';
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
    const serve = await startServe(project.dir, env);
    try {
      const code = /send \/claim ([0-9A-Z]{10})/.exec(serve.stdout())?.[1];
      expect(code, serve.stdout()).toBeDefined();
      await waitFor(() => telegram.calls.find((call) => call.method === 'getUpdates'), 'the first poll', 10_000);

      await telegram.injectMessage({ chatId: 1001, from: { id: 77, first_name: 'Ann' }, text: `/claim ${code}` });
      await waitFor(() => said().find((sent) => /owner/.test(sent.text ?? '')), `the claim answer (${serve.stderr()})`, 20_000);
      expect(said()[0]).toMatchObject({ chatId: '1001', text: expect.stringMatching(/^You are now the owner/) });

      await telegram.injectMessage({
        chatId: 1001,
        from: { id: 77, first_name: 'Ann' },
        text: 'run: echo hello-from-the-sandbox',
      });
      const reply = await waitFor(
        () => said().find((sent) => sent.text?.includes('hello-from-the-sandbox') && sent.text.includes('printed')),
        `the reply with the tool output (stderr: ${serve.stderr()})`,
        45_000,
      );
      expect(reply.chatId).toBe('1001');
      expect(telegram.sent.some((sent) => sent.method === 'sendChatAction' && sent.action === 'typing')).toBe(true);
    } finally {
      await serve.stop();
    }
    expect(await serve.exited).toBe(0);
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
    const serve = await startServe(project.dir, env);
    try {
      const url = /open\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout() + serve.stderr())?.[1];
      expect(url, serve.stdout() + serve.stderr()).toBeDefined();
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
      await serve.stop();
    }
    expect(await serve.exited).toBe(0);
  });
});
