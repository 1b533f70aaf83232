import type { ChannelAdapter, ChannelContext } from '@ngb/plugin-sdk';
import { createRecordingChannel } from '@ngb/plugin-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, wiredChat } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

/** A channel whose platform refused its token at start. */
const refused: ChannelAdapter = {
  specificationVersion: 1,
  name: 'refused',
  limits: { maxMessageLength: 100 },
  async start(context) {
    context.setStatus({ state: 'disconnected', error: 'the platform answered 401: token revoked' });
  },
  async stop() {},
  async send() {
    throw new Error('not connected');
  },
};

/** A channel waiting for someone to scan its QR code; `linked()` is the scan. */
let linkingContext: ChannelContext | undefined;
const login = { kind: 'qr', code: '2@QR-CODE', instructions: 'Settings → Linked devices → Link a device' } as const;
const linking: ChannelAdapter = {
  specificationVersion: 1,
  name: 'linking',
  limits: { maxMessageLength: 100 },
  async start(context) {
    linkingContext = context;
    context.setStatus({ state: 'connecting', login });
  },
  async stop() {},
  async send() {
    throw new Error('not linked');
  },
};

let harness: ServerHarness;
beforeAll(async () => {
  harness = await createServerHarness({
    script: [
      { type: 'reply', toolCalls: [{ name: 'bash', input: { command: 'echo hi' } }] },
      { type: 'reply', text: 'done' },
    ],
    channels: [refused, linking, createRecordingChannel({ name: 'editing', capabilities: { edit: true, threads: true } })],
    server: { isolated: false, version: '1.2.3' },
  });
});
afterAll(() => harness.close());

describe('status, channels and sandboxes', () => {
  it('says whether tools are isolated, with the version, channel states, queue and latest event', async () => {
    const status = await call(harness, 'GET', '/api/status');
    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      version: '1.2.3',
      isolated: false,
      channels: expect.objectContaining({ fake: 'connected', refused: 'disconnected', editing: 'connected' }),
      queue: { running: [], waiting: [], parked: [] },
      lastEventSeq: harness.gateway.events.lastSeq(),
      claimed: false,
      health: { state: 'ok' },
    });
  });

  it('lists the channels with their state, the error of their latest report and their capabilities', async () => {
    const channels = await call(harness, 'GET', '/api/channels');
    expect(channels.body.items).toEqual(
      expect.arrayContaining([
        { name: 'fake', state: 'connected', capabilities: ['typing'] },
        { name: 'refused', state: 'disconnected', detail: 'the platform answered 401: token revoked', capabilities: [] },
        { name: 'editing', state: 'connected', capabilities: ['edit', 'threads'] },
      ]),
    );
  });

  it('shows the QR login a connecting channel waits for, and no longer once it connected', async () => {
    const before = await call(harness, 'GET', '/api/channels');
    expect(before.body.items).toContainEqual({ name: 'linking', state: 'connecting', login, capabilities: [] });
    linkingContext?.setStatus({ state: 'connected', detail: 'linked as +1 555' });
    const after = await call(harness, 'GET', '/api/channels');
    expect(after.body.items).toContainEqual({
      name: 'linking',
      state: 'connected',
      detail: 'linked as +1 555',
      capabilities: [],
    });
  });

  it("lists the runtime's sandboxes", async () => {
    expect((await call(harness, 'GET', '/api/sandboxes')).body).toEqual({ items: [] });
    await wiredChat(harness, 'sandbox');
    await harness.channel.inject({ text: 'run something', chat: { id: 'sandbox', isGroup: false } });
    await harness.gateway.idle();
    const sandboxes = await call(harness, 'GET', '/api/sandboxes');
    const [session] = await harness.store.sessions.list();
    expect(sandboxes.body.items).toEqual([expect.objectContaining({ sessionId: session?.id, agentName: 'main', claims: 0 })]);
  });
});

describe('the claim code in /api/status', () => {
  const statusFrom = async (remoteAddress: string) => {
    const request = new Request('http://127.0.0.1:7070/api/status', { headers: { host: '127.0.0.1:7070' } });
    const response = await harness.served.app.fetch(request, { incoming: { socket: { remoteAddress } } });
    return (await response.json()) as { claimed: boolean; claimCode?: { code: string; expiresAt: number } };
  };

  it('is shown to a visitor on this machine only, and only while nobody owns the gateway', async () => {
    const local = await statusFrom('127.0.0.1');
    expect(local.claimed).toBe(false);
    expect(local.claimCode?.code).toMatch(/^[A-Z0-9]{6,}$/);
    expect((await statusFrom('::ffff:127.0.0.1')).claimCode?.code).toBe(local.claimCode?.code);
    const remote = await statusFrom('192.0.2.7');
    expect(remote).toMatchObject({ claimed: false });
    expect(remote.claimCode).toBeUndefined();
    // An in-process request names no address: no code either.
    expect(((await (await harness.request('/api/status')).json()) as { claimCode?: unknown }).claimCode).toBeUndefined();

    await harness.channel.inject({
      text: `/claim ${local.claimCode?.code}`,
      chat: { id: 'owner-dm', isGroup: false },
      sender: { id: 'ann' },
    });
    await harness.gateway.idle();
    const claimed = await statusFrom('127.0.0.1');
    expect(claimed.claimed).toBe(true);
    expect(claimed.claimCode).toBeUndefined();
  });
});
