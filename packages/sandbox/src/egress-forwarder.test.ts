import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEgressForwarder } from './egress-forwarder';

const folder = mkdtempSync(join(tmpdir(), 'ngb-forwarder-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('startEgressForwarder', () => {
  it('relays a loopback connection byte for byte to the unix socket, and names itself as the proxy', async () => {
    const socketPath = join(folder, 'egress.sock');
    const received: Buffer[] = [];
    const host = createServer((socket) => {
      socket.on('data', (chunk) => {
        received.push(chunk);
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      });
    });
    await new Promise<void>((resolve) => host.listen(socketPath, resolve));
    const forwarder = await startEgressForwarder(socketPath);
    try {
      expect(forwarder.env).toMatchObject({
        HTTP_PROXY: `http://127.0.0.1:${forwarder.port}`,
        https_proxy: `http://127.0.0.1:${forwarder.port}`,
        NO_PROXY: 'localhost,127.0.0.1,::1',
      });
      const answer = await new Promise<string>((resolve, reject) => {
        const client = connect(forwarder.port, '127.0.0.1');
        const chunks: Buffer[] = [];
        client.on('data', (chunk) => chunks.push(chunk));
        client.on('error', reject);
        client.on('close', () => resolve(Buffer.concat(chunks).toString()));
        client.write('CONNECT example.com:443 HTTP/1.1\r\n\r\n');
      });
      expect(Buffer.concat(received).toString()).toBe('CONNECT example.com:443 HTTP/1.1\r\n\r\n');
      expect(answer).toBe('HTTP/1.1 403 Forbidden\r\n\r\n');
    } finally {
      await forwarder.close();
      await new Promise((resolve) => host.close(resolve));
    }
  });

  it('closes the client when the host socket is missing', async () => {
    const forwarder = await startEgressForwarder(join(folder, 'missing.sock'));
    try {
      const closed = await new Promise<boolean>((resolve) => {
        const client = connect(forwarder.port, '127.0.0.1');
        client.on('error', () => undefined);
        client.resume();
        client.on('close', () => resolve(true));
      });
      expect(closed).toBe(true);
    } finally {
      await forwarder.close();
    }
  });
});
