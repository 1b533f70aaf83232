import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isProcessAlive, readProcessIdentity } from './process-identity';

describe('process identity', () => {
  it('knows this process as alive, with its start time and boot', async () => {
    const self = await readProcessIdentity();
    expect(self.pid).toBe(process.pid);
    expect(self.startTime).toMatch(/^\d+$/);
    expect(self.bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await isProcessAlive(self)).toBe(true);
  });

  it('calls a killed process gone, and a reused pid (another start time) gone too', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const identity = await readProcessIdentity(child.pid);
    expect(await isProcessAlive(identity)).toBe(true);
    expect(await isProcessAlive({ ...identity, startTime: String(Number(identity.startTime) + 1) })).toBe(false);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(await isProcessAlive(identity)).toBe(false);
  });

  it('calls a process of an earlier boot gone, and cannot tell about another host', async () => {
    const self = await readProcessIdentity();
    expect(await isProcessAlive({ ...self, bootId: '00000000-0000-0000-0000-000000000000' })).toBe(false);
    expect(await isProcessAlive({ ...self, host: `not-${self.host}` })).toBeUndefined();
  });
});
