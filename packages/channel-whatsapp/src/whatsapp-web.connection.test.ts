import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelApiError, ConfigError } from '@ngb/plugin-sdk';
import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeWhatsAppWebServer, type FakeWhatsAppWebServer } from '@ngb/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordingWhatsAppSocket, type RecordingWhatsAppSocket } from './testing/recording-whatsapp-socket';
import { createWhatsAppTestContext } from './testing/whatsapp-test-context';
import { useSafeAuthState } from './whatsapp-auth-state';
import { createWhatsAppChannel } from './whatsapp-channel';
import type { WhatsAppWebChannel } from './whatsapp-web-channel';

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`[test] waited in vain for ${what}`);
}

describe('WhatsApp Web connection', () => {
  let root: string;
  let clock: ManualClock;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ngb-whatsapp-connection-'));
    clock = createManualClock();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('with a real Baileys socket against a loopback WebSocket that drops it', () => {
    let server: FakeWhatsAppWebServer;
    beforeEach(async () => {
      server = await createFakeWhatsAppWebServer();
    });
    afterEach(async () => {
      await server.close();
    });

    it('reports connecting then disconnected (428), reconnects after the backoff on the injected clock, and stops cleanly', async () => {
      const authDirectory = join(root, 'auth');
      const channel = createWhatsAppChannel(
        { mode: 'web', authDirectory, clock, reconnectDelaysMs: [5_000, 30_000] },
        { waWebSocketUrl: server.url },
      ) as WhatsAppWebChannel;
      const test = createWhatsAppTestContext();
      await channel.start(test.context);
      await until(() => test.statuses.some((status) => status.state === 'disconnected'), 'the first close');
      expect(test.statuses[0]).toEqual({ state: 'connecting' });
      expect(test.statuses.find((status) => status.state === 'disconnected')).toMatchObject({
        error: expect.stringContaining('428'),
      });
      expect(server.connections()).toBe(1);
      expect(clock.pendingDelays()).toEqual([5_000]);
      expect(statSync(authDirectory).mode & 0o777).toBe(0o700);

      await clock.advance(4_999);
      expect(server.connections()).toBe(1);
      await clock.advance(1);
      await until(() => server.connections() === 2, 'the second connection');
      await until(() => test.statuses.filter((status) => status.state === 'disconnected').length === 2, 'the second close');
      expect(clock.pendingDelays()).toEqual([30_000]);
      await channel.stop();
      expect(clock.pendingDelays()).toEqual([]);
      await clock.advance(60_000);
      expect(server.connections()).toBe(2);
    });
  });

  describe('through the recording stand-in', () => {
    let sockets: RecordingWhatsAppSocket[];
    let channel: WhatsAppWebChannel;
    let test: ReturnType<typeof createWhatsAppTestContext>;
    const authDirectory = () => join(root, 'auth');

    beforeEach(() => {
      sockets = [];
      test = createWhatsAppTestContext();
      channel = createWhatsAppChannel(
        { mode: 'web', authDirectory: authDirectory(), clock, reconnectDelaysMs: [1_000, 2_000] },
        {
          async createSocket() {
            const socket = createRecordingWhatsAppSocket();
            sockets.push(socket);
            return socket;
          },
        },
      ) as WhatsAppWebChannel;
    });
    afterEach(async () => {
      await channel.stop();
    });

    const current = () => {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('[test] no socket');
      return socket;
    };

    it('shows the QR code to scan as a login, then connected with the linked account', async () => {
      const started = channel.start(test.context);
      await until(() => sockets.length === 1, 'the socket');
      current().emit('connection.update', { qr: '2@AbCdEf,ghIJ,kl==' });
      await started;
      expect(test.statuses.at(-1)).toEqual({
        state: 'connecting',
        login: { kind: 'qr', code: '2@AbCdEf,ghIJ,kl==', instructions: 'WhatsApp → Settings → Linked devices → Link a device' },
      });
      current().open();
      expect(test.statuses.at(-1)).toEqual({ state: 'connected' });
      expect(channel.self).toEqual({ id: '15550001111', name: 'ngb bot' });
    });

    it('logged out on the phone: failed, naming the keys directory, and never reconnects', async () => {
      const started = channel.start(test.context).then(
        () => undefined,
        (error: unknown) => error,
      );
      await until(() => sockets.length === 1, 'the socket');
      current().close(401, 'Stream Errored (conflict)');
      const error = await started;
      expect(ChannelApiError.isInstance(error) && error.status).toBe(401);
      expect(test.statuses.at(-1)).toEqual({
        state: 'failed',
        error: `[@ngb/channel-whatsapp] logged out on the phone: delete ${authDirectory()} and scan a new QR code`,
      });
      expect(clock.pendingDelays()).toEqual([]);
      expect(sockets).toHaveLength(1);
    });

    it('a banned or forbidden account (403) while running: failed, no reconnect', async () => {
      const started = channel.start(test.context);
      await until(() => sockets.length === 1, 'the socket');
      current().open();
      await started;
      current().close(403);
      expect(test.statuses.at(-1)).toMatchObject({ state: 'failed', error: expect.stringContaining('403') });
      expect(clock.pendingDelays()).toEqual([]);
      expect(sockets).toHaveLength(1);
    });

    it('restart required (515): a new socket at once; other drops: backoff, reset once connected', async () => {
      const started = channel.start(test.context);
      await until(() => sockets.length === 1, 'the socket');
      current().open();
      await started;
      current().close(515, 'Stream Errored (restart required)');
      await until(() => sockets.length === 2, 'the socket after 515');
      expect(sockets[0]?.ended).toBe(true);
      current().close(428);
      expect(test.statuses.at(-1)).toMatchObject({ state: 'disconnected' });
      expect(clock.pendingDelays()).toEqual([1_000]);
      await clock.advance(1_000);
      await until(() => sockets.length === 3, 'the socket after the backoff');
      current().close(408, 'Connection was lost');
      expect(clock.pendingDelays()).toEqual([2_000]);
      await clock.advance(2_000);
      await until(() => sockets.length === 4, 'the next socket');
      current().open();
      current().close(428);
      expect(clock.pendingDelays()).toEqual([1_000]);
      await channel.stop();
      expect(clock.pendingDelays()).toEqual([]);
      expect(current().ended).toBe(true);
      // Events of a socket the channel left reach nobody.
      sockets[0]?.emit('messages.upsert', {
        type: 'notify',
        messages: [{ key: { remoteJid: '77@s.whatsapp.net', id: 'LATE', fromMe: false }, message: { conversation: 'late' } }],
      });
      expect(test.received).toEqual([]);
    });

    it('refuses a keys directory that is a symbolic link or writable by others', async () => {
      mkdirSync(join(root, 'real'), { mode: 0o700 });
      symlinkSync(join(root, 'real'), authDirectory());
      const linked = await channel.start(test.context).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(ConfigError.isInstance(linked) && linked.message).toMatch(/is a symbolic link/);
      rmSync(authDirectory());
      mkdirSync(authDirectory());
      chmodSync(authDirectory(), 0o777);
      const open = await channel.start(test.context).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(ConfigError.isInstance(open) && open.message).toMatch(/writable by group or others: run chmod 700/);
      expect(sockets).toHaveLength(0);
    });
  });

  it('keeps the keys in files only their owner can read (0600), even one left wider before', async () => {
    const baileys = await import('baileys');
    const directory = join(root, 'keys');
    const first = await useSafeAuthState(directory, baileys);
    await first.saveCreds();
    await first.state.keys.set({ 'pre-key': { '1': { public: new Uint8Array([1]), private: new Uint8Array([2]) } } });
    chmodSync(join(directory, 'creds.json'), 0o644);
    await first.saveCreds();
    expect(readdirSync(directory).sort()).toEqual(['creds.json', 'pre-key-1.json']);
    for (const file of readdirSync(directory)) expect(statSync(join(directory, file)).mode & 0o777).toBe(0o600);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    const again = await useSafeAuthState(directory, baileys);
    expect(again.state.creds.registrationId).toBe(first.state.creds.registrationId);
    const preKey = (await again.state.keys.get('pre-key', ['1']))['1'];
    expect(Buffer.from(preKey?.public ?? [])).toEqual(Buffer.from([1]));
  });
});
