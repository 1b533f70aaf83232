import {
  createFakeLlmServer,
  createFakeWhatsAppCloudServer,
  type FakeLlmServer,
  type FakeWhatsAppCloudServer,
} from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, cliEnv, createProject, runCli, type ServeProcess, startServe, waitFor } from './cli-harness';
import { describeWithDocker } from './docker-gate';

describeWithDocker('ngb serve with the WhatsApp channel (Cloud API) against a fake Cloud API', () => {
  let llm: FakeLlmServer;
  let whatsapp: FakeWhatsAppCloudServer;
  let project: { dir: string; remove: () => void };
  let serve: ServeProcess;
  let webhook = '';

  beforeAll(async () => {
    assertBuilt();
    llm = await createFakeLlmServer({ acceptAnyModel: true });
    whatsapp = await createFakeWhatsAppCloudServer();
    project = await createProject('serve-whatsapp', (config) => {
      config.runtime = { driver: 'docker' };
      config.channels = { whatsapp: { enabled: true, apiBaseUrl: whatsapp.url, apiVersion: whatsapp.apiVersion } };
    });
    serve = await startServe(
      project.dir,
      cliEnv({
        OPENAI_BASE_URL: `${llm.url}/v1`,
        WHATSAPP_PHONE_NUMBER_ID: whatsapp.phoneNumberId,
        WHATSAPP_ACCESS_TOKEN: whatsapp.accessToken,
        WHATSAPP_APP_SECRET: whatsapp.appSecret,
        WHATSAPP_VERIFY_TOKEN: whatsapp.verifyToken,
      }),
    );
    const url = /open\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout() + serve.stderr())?.[1];
    if (url === undefined) throw new Error(`no server URL in: ${serve.stdout()} ${serve.stderr()}`);
    webhook = `${url}/channels/whatsapp/webhook`;
  }, 90_000);

  afterAll(async () => {
    if (serve) expect(await serve.stop()).toBe(0);
    await whatsapp?.close();
    await llm?.close();
    project?.remove();
  });

  const said = (to: string) => whatsapp.sent.filter((sent) => sent.to === to);

  it("passes Meta's handshake and refuses an unsigned delivery", async () => {
    const challenge = await fetch(`${webhook}?hub.mode=subscribe&hub.verify_token=${whatsapp.verifyToken}&hub.challenge=4242`);
    expect([challenge.status, await challenge.text()]).toEqual([200, '4242']);
    const wrong = await fetch(`${webhook}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=4242`);
    expect(wrong.status).toBe(403);
    const forged = whatsapp.webhookRequest(webhook, { from: '16505550000', text: 'forged' }, { signed: false });
    expect((await fetch(forged.request)).status).toBe(401);
  });

  it('a /claim from WhatsApp makes its sender the owner; a message then runs a tool in the sandbox and the reply reaches WhatsApp once, even when Meta redelivers', {
    timeout: 120_000,
  }, async () => {
    const code = /send \/claim ([0-9A-Z]{10})/.exec(serve.stdout())?.[1];
    expect(code, serve.stdout()).toBeDefined();
    const claim = await whatsapp.deliver(webhook, { from: '16505551234', name: 'Sheena', text: `/claim ${code}` });
    expect(claim.statuses).toEqual([200]);
    const claimed = await waitFor(
      () => said('16505551234')[0],
      () => `the claim answer (stderr: ${serve.stderr()})`,
      20_000,
    );
    expect(claimed.text).toMatch(/^You are now the owner/);
    expect((await runCli(['user', 'ls'], { cwd: project.dir })).stdout).toMatch(
      /^\S+\s+whatsapp\s+16505551234\s+Sheena\s+-\s+owner$/m,
    );

    const asked = await whatsapp.deliver(webhook, {
      from: '16505551234',
      name: 'Sheena',
      text: 'run: echo whatsapp-e2e-$((6*7))',
    });
    expect(asked.statuses).toEqual([200]);
    await waitFor(
      () => said('16505551234').find((sent) => sent.text.includes('whatsapp-e2e-42')),
      () => `a reply with the tool output (sent: ${JSON.stringify(whatsapp.sent)}; stderr: ${serve.stderr()})`,
      60_000,
    );
    // Meta redelivers the same message: it is stored once and runs no second turn. The chat's turns
    // run one after another, so once the next message is answered, a second turn would have answered before it.
    expect(await whatsapp.redeliver(webhook, asked)).toBe(200);
    await whatsapp.deliver(webhook, { from: '16505551234', name: 'Sheena', text: 'run: echo next-$((2+3))' });
    await waitFor(
      () => said('16505551234').find((sent) => sent.text.includes('next-5')),
      'the answer to the next message',
      60_000,
    );
    expect(said('16505551234').filter((sent) => sent.text.includes('whatsapp-e2e-42'))).toHaveLength(1);
  });
});
