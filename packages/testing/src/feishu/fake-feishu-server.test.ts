import { Client, EventDispatcher, WSClient } from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeFeishuServer, type FakeFeishuServer } from './fake-feishu-server';

let fake: FakeFeishuServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
const sdkClient = (server: FakeFeishuServer) =>
  new Client({ appId: server.appId, appSecret: server.appSecret, domain: server.url, logger: silent, disableTokenCache: false });

describe('fake Feishu driven by the Lark SDK', () => {
  it("serves the SDK's token, message and upload calls and records what people see", async () => {
    fake = await createFakeFeishuServer({ appSecret: 'sdk-secret' });
    const client = sdkClient(fake);
    const created = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: 'oc_1', msg_type: 'text', content: JSON.stringify({ text: 'hello' }) },
    });
    expect(created.code).toBe(0);
    const messageId = String(created.data?.message_id);
    await client.im.message.reply({
      path: { message_id: messageId },
      data: {
        msg_type: 'post',
        content: JSON.stringify({ zh_cn: { title: '', content: [[{ tag: 'text', text: 'in thread' }]] } }),
        reply_in_thread: true,
      },
    });
    await client.im.message.update({
      path: { message_id: messageId },
      data: { msg_type: 'text', content: JSON.stringify({ text: 'edited' }) },
    });
    const image = await client.im.image.create({ data: { image_type: 'message', image: Buffer.from([0, 1, 2, 255]) } });
    expect(image?.image_key).toMatch(/^img_/);
    await client.im.message.delete({ path: { message_id: messageId } });
    const sent = fake.sent();
    expect(sent.messages.map(({ text, format, threadId }) => ({ text, format, threadId }))).toEqual([
      { text: 'hello', format: 'plain', threadId: undefined },
      { text: 'in thread', format: 'markdown', threadId: messageId },
    ]);
    expect(sent.edits.map((edit) => edit.text)).toEqual(['edited']);
    expect(sent.deletions).toEqual([{ chatId: 'oc_1', messageId }]);
    expect(fake.tokensIssued()).toBe(1);
    expect(fake.calls('message.create')[0]?.token).toBe('t-fake-1');
  });

  it("streams a message resource to the SDK's download", async () => {
    // The SDK's default token cache is per process and keyed by app id: another app id than the first case's.
    fake = await createFakeFeishuServer({ appId: 'cli_second_app', appSecret: 'sdk-secret-2' });
    const data = new Uint8Array([9, 8, 7, 0, 255]);
    const key = fake.addResource({ data, kind: 'file' });
    const envelope = fake.postMessage({ chatId: 'oc_2', senderOpenId: 'ou_a', messageType: 'file', content: { file_key: key } });
    const messageId = String((envelope.event.message as { message_id: string }).message_id);
    const resource = await sdkClient(fake).im.messageResource.get({
      path: { message_id: messageId, file_key: key },
      params: { type: 'file' },
    });
    const chunks: Buffer[] = [];
    for await (const chunk of resource.getReadableStream()) chunks.push(chunk as Buffer);
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(data);
  });

  it("encrypts and signs deliveries the SDK's EventDispatcher accepts, and a wrong signature it refuses", async () => {
    fake = await createFakeFeishuServer({ encryptKey: 'dispatch-key' });
    const seen: unknown[] = [];
    const dispatcher = new EventDispatcher({
      encryptKey: 'dispatch-key',
      verificationToken: fake.verificationToken,
      logger: silent,
    }).register({
      'im.message.receive_v1': async (event: unknown) => void seen.push(event),
    });
    const asSdkInput = async (request: Request) =>
      Object.assign(Object.create({ headers: Object.fromEntries(request.headers) }), await request.json()) as Record<
        string,
        unknown
      >;
    const envelope = fake.postMessage({ chatId: 'oc_3', senderOpenId: 'ou_b', text: 'secret hello' });
    await dispatcher.invoke(await asSdkInput(fake.request(envelope)));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ message: { chat_id: 'oc_3', content: JSON.stringify({ text: 'secret hello' }) } });
    await dispatcher.invoke(await asSdkInput(fake.request(envelope, { signWith: 'another-key' })));
    expect(seen).toHaveLength(1);
  });

  it("serves the SDK's long connection: endpoint lookup, pbbp2 frames, pongs, acks and redelivery", async () => {
    fake = await createFakeFeishuServer();
    const server = fake;
    const seen: string[] = [];
    let failNext = true;
    const dispatcher = new EventDispatcher({ logger: silent }).register({
      'im.message.receive_v1': async (data: { message?: { message_id?: string } }) => {
        seen.push(String(data.message?.message_id));
        if (failNext) {
          failNext = false;
          throw new Error('not stored');
        }
      },
    });
    const connect = async () => {
      let settle: { resolve(): void; reject(error: unknown): void } | undefined;
      const ready = new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
      });
      const client = new WSClient({
        appId: server.appId,
        appSecret: server.appSecret,
        domain: server.url,
        autoReconnect: false,
        logger: silent,
        onReady: () => settle?.resolve(),
        onError: (error) => settle?.reject(error),
      });
      await client.start({ eventDispatcher: dispatcher });
      await ready;
      return client;
    };
    const first = await connect();
    expect(server.calls('ws.endpoint')[0]?.body).toEqual({ AppID: server.appId, AppSecret: server.appSecret });
    await vi.waitFor(() => expect(server.pings()).toBeGreaterThanOrEqual(1));
    const envelope = server.postMessage({ chatId: 'oc_1', chatType: 'p2p', senderOpenId: 'ou_a', text: 'hi' });
    expect(await server.push(envelope)).toBe(500);
    first.close({ force: true });
    await vi.waitFor(() => expect(server.connections().open).toBe(0));
    const second = await connect();
    await vi.waitFor(() => expect(server.acks().map((ack) => ack.code)).toEqual([500, 200]));
    const messageId = (envelope.event.message as { message_id: string }).message_id;
    expect(seen).toEqual([messageId, messageId]);
    second.close({ force: true });
  });

  it('refuses the long connection to wrong credentials (code 514)', async () => {
    fake = await createFakeFeishuServer();
    const response = await fetch(`${fake.url}/callback/ws/endpoint`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ AppID: fake.appId, AppSecret: 'wrong' }),
    });
    expect(await response.json()).toMatchObject({ code: 514 });
  });
});
