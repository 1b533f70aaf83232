import { createFakeLlmServer, createFakeTelegramServer, type FakeLlmServer, type FakeTelegramServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, cliEnv, createProject, runCli, startServe, waitFor } from './cli-harness';
import { describeWithDocker } from './docker-gate';

/**
 * A project with the Telegram channel pointed at a fake Bot API and the Docker runtime, with the fake
 * model, made before the tests of the enclosing block and removed after them.
 */
function telegramProject(name: string) {
  const parts = {} as { model: FakeLlmServer; telegram: FakeTelegramServer; project: { dir: string; remove: () => void } };
  beforeAll(async () => {
    assertBuilt();
    parts.model = await createFakeLlmServer({ acceptAnyModel: true });
    parts.telegram = await createFakeTelegramServer();
    parts.project = await createProject(name, (config) => {
      config.runtime = { driver: 'docker' };
      config.channels = { telegram: { enabled: true, apiRoot: parts.telegram.apiRoot, pollTimeoutSeconds: 5 } };
    });
  });
  afterAll(async () => {
    await parts.telegram?.close();
    await parts.model?.close();
    parts.project?.remove();
  });
  return parts;
}

describeWithDocker('ngb serve with the Telegram channel against the fake Bot API', () => {
  const fixture = telegramProject('serve-telegram');

  /** What the bot said in chat 1001, as people see it. */
  const said = () => fixture.telegram.sent.filter((sent) => sent.method === 'sendMessage' || sent.method === 'editMessageText');

  it('is claimed with /claim from Telegram, then answers with the output of a tool run in the sandbox', async () => {
    const env = cliEnv({ OPENAI_BASE_URL: `${fixture.model.url}/v1`, TELEGRAM_BOT_TOKEN: fixture.telegram.token });
    const serve = await startServe(fixture.project.dir, env);
    try {
      const code = /send \/claim ([0-9A-Z]{10})/.exec(serve.stdout())?.[1];
      expect(code, serve.stdout()).toBeDefined();
      await waitFor(() => fixture.telegram.calls.find((call) => call.method === 'getUpdates'), 'the first poll', 10_000);

      await fixture.telegram.injectMessage({ chatId: 1001, from: { id: 77, first_name: 'Ann' }, text: `/claim ${code}` });
      await waitFor(
        () => said().find((sent) => /owner/.test(sent.text ?? '')),
        () => `the claim answer (${serve.stderr()})`,
        20_000,
      );
      expect(said()[0]).toMatchObject({ chatId: '1001', text: expect.stringMatching(/^You are now the owner/) });

      await fixture.telegram.injectMessage({
        chatId: 1001,
        from: { id: 77, first_name: 'Ann' },
        text: 'run: echo hello-from-the-sandbox',
      });
      const reply = await waitFor(
        () => said().find((sent) => sent.text?.includes('hello-from-the-sandbox') && sent.text.includes('printed')),
        () => `the reply with the tool output (stderr: ${serve.stderr()})`,
        45_000,
      );
      expect(reply.chatId).toBe('1001');
      expect(fixture.telegram.sent.some((sent) => sent.method === 'sendChatAction' && sent.action === 'typing')).toBe(true);
    } finally {
      await serve.stop();
    }
    expect(await serve.exited).toBe(0);
  });
});

describeWithDocker('ngb serve with a Telegram token the platform refuses', () => {
  const fixture = telegramProject('serve-telegram-refused');

  it('still serves; the channel is failed with the reason in /readyz and `ngb channel ls`, and is not retried', async () => {
    const env = cliEnv({ OPENAI_BASE_URL: `${fixture.model.url}/v1`, TELEGRAM_BOT_TOKEN: '123456:not-the-token' });
    const serve = await startServe(fixture.project.dir, env);
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
      const listed = await runCli(['channel', 'ls'], { cwd: fixture.project.dir });
      expect(listed.stdout).toMatch(/^telegram\s.*failed \(token rejected \(401\)/m);
      const attempts = fixture.telegram.calls.filter((call) => call.method === 'getMe').length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(fixture.telegram.calls.filter((call) => call.method === 'getMe').length).toBe(attempts);
    } finally {
      await serve.stop();
    }
    expect(await serve.exited).toBe(0);
  });
});
