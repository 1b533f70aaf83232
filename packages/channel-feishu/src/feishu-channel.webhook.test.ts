import { encryptFeishuPayload } from '@ngb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type FeishuTestRun, startFeishuTestRun } from './testing/feishu-test-run';

const encryptKey = 'the-encrypt-key';
let run: FeishuTestRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});
const message = (current: FeishuTestRun, text = 'hi') =>
  current.fake.postMessage({ chatId: 'oc_1', senderOpenId: 'ou_ann', text });

describe('feishu webhook: url_verification', () => {
  it('answers the challenge of a plain request with the right token, and refuses a wrong token', async () => {
    run = await startFeishuTestRun();
    const answered = await run.webhook(run.fake.request(run.fake.urlVerification('c-123')));
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ challenge: 'c-123' });
    const refused = await run.webhook(run.fake.request(run.fake.urlVerification('c-123', 'wrong-token')));
    expect(refused.status).toBe(401);
  });

  it('decrypts an encrypted challenge (Feishu does not sign it)', async () => {
    run = await startFeishuTestRun({ encryptKey });
    const answered = await run.webhook(run.fake.request(run.fake.urlVerification('c-enc'), { unsigned: true }));
    expect(await answered.json()).toEqual({ challenge: 'c-enc' });
  });
});

describe('feishu webhook: refusals store nothing', () => {
  it('a wrong verification token is 401', async () => {
    run = await startFeishuTestRun();
    const envelope = message(run);
    const response = await run.webhook(run.fake.request({ ...envelope, header: { ...envelope.header, token: 'x' } }));
    expect(response.status).toBe(401);
    expect(run.receiveCalls()).toBe(0);
  });

  it('with an encrypt key: a bad signature, a missing signature, a body encrypted with another key, a plain body are 401', async () => {
    run = await startFeishuTestRun({ encryptKey });
    const current = run;
    const attempts = [
      current.fake.request(message(current), { signWith: 'another-key' }),
      current.fake.request(message(current), { unsigned: true }),
      current.fake.request(message(current), { encryptKey: 'another-key', signWith: encryptKey }),
      current.fake.request(message(current), { encryptKey: '', signWith: encryptKey }),
    ];
    for (const request of attempts) expect((await current.webhook(request)).status).toBe(401);
    expect(current.receiveCalls()).toBe(0);
  });

  it('a signed body whose encrypt field is not ciphertext is 401', async () => {
    run = await startFeishuTestRun({ encryptKey });
    const body = JSON.stringify({ encrypt: Buffer.from('not really encrypted at all, just text').toString('base64') });
    const { feishuSignature } = await import('@ngb/testing');
    const request = new Request('http://127.0.0.1/channels/feishu/webhook', {
      method: 'POST',
      headers: {
        'x-lark-request-timestamp': '1',
        'x-lark-request-nonce': 'n',
        'x-lark-signature': feishuSignature(encryptKey, '1', 'n', body),
      },
      body,
    });
    expect((await run.webhook(request)).status).toBe(401);
    expect(run.receiveCalls()).toBe(0);
  });

  it('an encrypted body without an encrypt key configured is 401', async () => {
    run = await startFeishuTestRun();
    const body = JSON.stringify({ encrypt: encryptFeishuPayload('k', JSON.stringify(message(run))) });
    const response = await run.webhook(new Request('http://127.0.0.1/w', { method: 'POST', body }));
    expect(response.status).toBe(401);
  });

  it('a body past the cap is 413 before anything is parsed; bad JSON is 400; other methods 405', async () => {
    run = await startFeishuTestRun({}, { maxWebhookBytes: 1024 });
    const big = new Request('http://127.0.0.1/w', { method: 'POST', body: JSON.stringify({ pad: 'x'.repeat(2048) }) });
    expect((await run.webhook(big)).status).toBe(413);
    expect((await run.webhook(new Request('http://127.0.0.1/w', { method: 'POST', body: '{' }))).status).toBe(400);
    expect((await run.webhook(new Request('http://127.0.0.1/w'))).status).toBe(405);
    expect(run.receiveCalls()).toBe(0);
  });

  it('after stop, a request is 503 and never reaches receive', async () => {
    run = await startFeishuTestRun();
    await run.channel.stop();
    expect((await run.webhook(run.fake.request(message(run)))).status).toBe(503);
    expect(run.receiveCalls()).toBe(0);
  });
});

describe('feishu webhook: redelivery', () => {
  it('a delivery receive could not store is 500, and its redelivery is stored with the same ids', async () => {
    run = await startFeishuTestRun({ encryptKey });
    const envelope = message(run, 'once');
    run.failReceive();
    expect((await run.webhook(run.fake.request(envelope))).status).toBe(500);
    expect((await run.webhook(run.fake.request(envelope))).status).toBe(200);
    // Feishu redelivers again when the 200 was lost: same event_id and message_id, so the store keeps one.
    expect((await run.webhook(run.fake.request(envelope))).status).toBe(200);
    expect(run.receiveCalls()).toBe(3);
    const ids = run.received.map((received) => `${received.chat.id}/${received.platformMessageId}`);
    expect(new Set(ids).size).toBe(1);
    expect(run.received[0]?.text).toBe('once');
  });
});
