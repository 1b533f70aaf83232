import { createFakeLlmServer, createFakeWeComServer, type FakeLlmServer, type FakeWeComServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, cliEnv, createProject, runCli, type ServeProcess, startServe, waitFor } from './cli-harness';
import { describeWithDocker } from './docker-gate';

describeWithDocker('ngb serve with the WeCom channel (app mode callbacks) against a fake WeCom', () => {
  let llm: FakeLlmServer;
  let wecom: FakeWeComServer;
  let project: { dir: string; remove: () => void };
  let serve: ServeProcess | undefined;
  let webhookUrl = '';

  beforeAll(async () => {
    assertBuilt();
    llm = await createFakeLlmServer({ acceptAnyModel: true });
    wecom = await createFakeWeComServer({ users: { ann: 'Ann' } });
    project = await createProject('serve-wecom', (config) => {
      config.runtime = { driver: 'docker' };
      config.channels = { wecom: { enabled: true, corpId: wecom.corpId, agentId: wecom.agentId, apiBaseUrl: wecom.url } };
    });
    serve = await startServe(
      project.dir,
      cliEnv({
        OPENAI_BASE_URL: `${llm.url}/v1`,
        WECOM_SECRET: wecom.secret,
        WECOM_TOKEN: wecom.token,
        WECOM_ENCODING_AES_KEY: wecom.encodingAesKey,
      }),
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the line may carry colour codes
    const url = /open\s+(?:\x1b\[[0-9;]*m)*(http:\/\/[^\s\x1b]+)/.exec(serve.stdout())?.[1];
    if (url === undefined) throw new Error(`no server URL in: ${serve.stdout()}`);
    // serve says where WeCom must post its callbacks, and that the URL must be public.
    expect(serve.stdout()).toContain(`webhook  ${url}/channels/wecom/webhook`);
    expect(serve.stderr()).toContain('public https URL');
    webhookUrl = `${new URL(url).origin}/channels/wecom/webhook`;
  }, 90_000);

  afterAll(async () => {
    await serve?.stop();
    await wecom?.close();
    await llm?.close();
    project?.remove();
  });

  const repliesTo = (user: string) => wecom.sent.filter((message) => message.toUser === user);

  it('answers the callback URL check, refuses a forged callback, and a /claim then a message through callbacks get their replies once', {
    timeout: 120_000,
  }, async () => {
    const check = wecom.urlCheckRequest(webhookUrl);
    const checked = await fetch(check.request);
    expect(checked.status).toBe(200);
    expect(await checked.text()).toBe(check.echo);

    const forged = await fetch(wecom.callbackRequest(webhookUrl, { fromUser: 'mallory', content: 'hi' }, { signWith: 'guess' }));
    expect(forged.status).toBe(403);

    const code = /send \/claim ([0-9A-Z]{10}) from any chat/.exec(serve?.stdout() ?? '')?.[1];
    expect(code, serve?.stdout()).toBeDefined();
    const claim = await fetch(wecom.callbackRequest(webhookUrl, { fromUser: 'ann', content: `/claim ${code}` }));
    expect(claim.status).toBe(200);
    const claimed = await waitFor(
      () => repliesTo('ann')[0],
      () => `the claim answer (stderr: ${serve?.stderr()})`,
      20_000,
    );
    expect(claimed.content).toMatch(/^You are now the owner/);
    expect((await runCli(['user', 'ls'], { cwd: project.dir })).stdout).toMatch(/^\S+\s+wecom\s+ann\s+Ann\s+-\s+owner$/m);

    const message = { fromUser: 'ann', msgId: '7381000000000000001', content: 'run: echo wecom-e2e-$((6*7))' };
    expect((await fetch(wecom.callbackRequest(webhookUrl, message))).status).toBe(200);
    await waitFor(
      () => repliesTo('ann').find((sent) => sent.content.includes('wecom-e2e-42')),
      () => `a reply with the tool output (sent: ${JSON.stringify(wecom.sent)}; stderr: ${serve?.stderr()})`,
      60_000,
    );
    // WeCom retries a callback it got no answer for, with the same MsgId: stored once, no second turn.
    // The chat's turns run one after another, so once the next message is answered, a second turn
    // for the redelivery would have answered before it.
    expect((await fetch(wecom.callbackRequest(webhookUrl, message))).status).toBe(200);
    expect((await fetch(wecom.callbackRequest(webhookUrl, { fromUser: 'ann', content: 'run: echo next-$((2+3))' }))).status).toBe(
      200,
    );
    await waitFor(
      () => repliesTo('ann').find((sent) => sent.content.includes('next-5')),
      'the answer to the next message',
      60_000,
    );
    expect(repliesTo('ann').filter((sent) => sent.content.includes('wecom-e2e-42'))).toHaveLength(1);
    expect(repliesTo('mallory')).toEqual([]);
  });
});
