import { createFakeFeishuServer, createFakeLlmServer, type FakeFeishuServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, cliEnv, createProject, runCli, type ServeProcess, startServe, waitFor } from './cli-harness';
import { describeWithDocker } from './docker-gate';

// Replies stream into a card by default (the first send may hold only the start of the text, on a busy
// machine): each message as it shows now, after its last edit.
function shownReplies(feishu: FakeFeishuServer, chatId: string) {
  const { messages, edits } = feishu.sent();
  return messages
    .filter((message) => message.chatId === chatId)
    .map((message) => ({
      ...message,
      text: edits.findLast((edit) => edit.messageId === message.messageId)?.text ?? message.text,
    }));
}

describeWithDocker('ngb serve with the Feishu channel (encrypted webhook) against a fake Feishu', () => {
  let llm: FakeLlmServer;
  let feishu: FakeFeishuServer;
  let project: { dir: string; remove: () => void };
  let serve: ServeProcess | undefined;
  let webhookUrl = '';

  beforeAll(async () => {
    assertBuilt();
    llm = await createFakeLlmServer({ acceptAnyModel: true });
    feishu = await createFakeFeishuServer({ encryptKey: 'e2e-encrypt-key', users: { ou_ann: 'Ann' } });
    project = await createProject('serve-feishu', (config) => {
      config.runtime = { driver: 'docker' };
      config.channels = { feishu: { enabled: true, appId: feishu.appId, domain: feishu.url, mode: 'webhook' } };
    });
    serve = await startServe(
      project.dir,
      cliEnv({
        OPENAI_BASE_URL: `${llm.url}/v1`,
        FEISHU_APP_SECRET: feishu.appSecret,
        FEISHU_VERIFICATION_TOKEN: feishu.verificationToken,
        FEISHU_ENCRYPT_KEY: 'e2e-encrypt-key',
      }),
    );
    const url = /open\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout() + serve.stderr())?.[1];
    if (!url) throw new Error(`no URL printed: ${serve.stdout()} ${serve.stderr()}`);
    webhookUrl = `${url}/channels/feishu/webhook`;
  }, 90_000);

  afterAll(async () => {
    if (serve) expect(await serve.stop()).toBe(0);
    await feishu?.close();
    await llm?.close();
    project?.remove();
  });

  const repliesIn = (chatId: string) => shownReplies(feishu, chatId);
  const say = (text: string) => feishu.postMessage({ chatId: 'oc_ann', chatType: 'p2p', senderOpenId: 'ou_ann', text });

  it('answers the url_verification challenge through the server, and refuses a wrong signature with nothing stored', async () => {
    const challenge = await fetch(feishu.request(feishu.urlVerification('e2e-challenge'), { url: webhookUrl, unsigned: true }));
    expect(await challenge.json()).toEqual({ challenge: 'e2e-challenge' });
    expect(await feishu.deliver(webhookUrl, say('forged'), { signWith: 'not-the-key' })).toBe(401);
  });

  it('a /claim from Feishu makes its sender the owner; a message then runs a tool in the sandbox, and a redelivery runs no second turn', {
    timeout: 120_000,
  }, async () => {
    const code = /send \/claim ([0-9A-Z]{10}) from any chat/.exec(serve?.stdout() ?? '')?.[1];
    expect(code, serve?.stdout()).toBeDefined();
    expect(await feishu.deliver(webhookUrl, say(`/claim ${code}`))).toBe(200);
    const claimed = await waitFor(
      () => repliesIn('oc_ann')[0],
      () => `the claim answer (stderr: ${serve?.stderr()})`,
      20_000,
    );
    expect(claimed.text).toMatch(/^You are now the owner/);
    expect((await runCli(['user', 'ls'], { cwd: project.dir })).stdout).toMatch(/^\S+\s+feishu\s+ou_ann\s+Ann\s+-\s+owner$/m);

    const asked = say('run: echo feishu-e2e-$((6*7))');
    expect(await feishu.deliver(webhookUrl, asked)).toBe(200);
    await waitFor(
      () => repliesIn('oc_ann').find((message) => message.text.includes('feishu-e2e-42')),
      () => `a reply with the tool output (sent: ${JSON.stringify(feishu.sent())}; stderr: ${serve?.stderr()})`,
      60_000,
    );
    // Feishu redelivers the event (its 200 was lost): the gateway stores it once and runs no second turn.
    // The chat's turns run one after another, so once the next message is answered, a second turn for
    // the redelivery would have answered before it.
    expect(await feishu.deliver(webhookUrl, asked)).toBe(200);
    expect(await feishu.deliver(webhookUrl, say('run: echo next-$((2+3))'))).toBe(200);
    await waitFor(
      () => repliesIn('oc_ann').find((message) => message.text.includes('next-5')),
      'the answer to the next message',
      60_000,
    );
    expect(repliesIn('oc_ann').filter((message) => message.text.includes('feishu-e2e-42'))).toHaveLength(1);
  });
});

describeWithDocker('ngb serve with the Feishu channel (long connection) against a fake Feishu', () => {
  let llm: FakeLlmServer;
  let feishu: FakeFeishuServer;
  let project: { dir: string; remove: () => void };
  let serve: ServeProcess | undefined;

  beforeAll(async () => {
    assertBuilt();
    llm = await createFakeLlmServer({ acceptAnyModel: true });
    feishu = await createFakeFeishuServer({ users: { ou_bea: 'Bea' } });
    project = await createProject('serve-feishu-ws', (config) => {
      config.runtime = { driver: 'docker' };
      // The long connection is the default mode.
      config.channels = { feishu: { enabled: true, appId: feishu.appId, domain: feishu.url } };
    });
    serve = await startServe(project.dir, cliEnv({ OPENAI_BASE_URL: `${llm.url}/v1`, FEISHU_APP_SECRET: feishu.appSecret }));
    await waitFor(
      () => (feishu.connections().open === 1 ? true : undefined),
      () => `the long connection (stderr: ${serve?.stderr()})`,
      30_000,
    );
  }, 90_000);

  afterAll(async () => {
    if (serve) expect(await serve.stop()).toBe(0);
    await feishu?.close();
    await llm?.close();
    project?.remove();
  });

  const repliesIn = (chatId: string) => shownReplies(feishu, chatId);
  const say = (text: string) => feishu.postMessage({ chatId: 'oc_bea', chatType: 'p2p', senderOpenId: 'ou_bea', text });

  it('events over the long connection: /claim, a tool run in the sandbox answered in Feishu, a redelivery with no second turn', {
    timeout: 120_000,
  }, async () => {
    const code = /send \/claim ([0-9A-Z]{10}) from any chat/.exec(serve?.stdout() ?? '')?.[1];
    expect(code, serve?.stdout()).toBeDefined();
    expect(await feishu.push(say(`/claim ${code}`))).toBe(200);
    const claimed = await waitFor(
      () => repliesIn('oc_bea')[0],
      () => `the claim answer (stderr: ${serve?.stderr()})`,
      20_000,
    );
    expect(claimed.text).toMatch(/^You are now the owner/);

    const asked = say('run: echo feishu-ws-$((6*7))');
    expect(await feishu.push(asked)).toBe(200);
    await waitFor(
      () => repliesIn('oc_bea').find((message) => message.text.includes('feishu-ws-42')),
      () => `a reply with the tool output (sent: ${JSON.stringify(feishu.sent())}; stderr: ${serve?.stderr()})`,
      60_000,
    );
    // Feishu pushes the event again: stored once, no second turn (turns of a chat run in order).
    expect(await feishu.push(asked)).toBe(200);
    expect(await feishu.push(say('run: echo next-$((2+3))'))).toBe(200);
    await waitFor(
      () => repliesIn('oc_bea').find((message) => message.text.includes('next-5')),
      'the answer to the next message',
      60_000,
    );
    expect(repliesIn('oc_bea').filter((message) => message.text.includes('feishu-ws-42'))).toHaveLength(1);
  });
});
