import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@ngb/plugin-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config';
import { projectPaths } from '../config/project-paths';
import { planRuntime, type RuntimeRequest, startRuntime } from './runtime-choice';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-runtime-choice-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function request(config: object, overrides: Partial<RuntimeRequest>): RuntimeRequest {
  const parsed = parseConfig(JSON.stringify(config), join(scratch, 'ngb.config.json')).config;
  return {
    config: parsed,
    paths: projectPaths(join(scratch, 'ngb.config.json'), parsed),
    env: { DOCKER_HOST: `unix://${join(scratch, 'no-docker.sock')}` },
    purpose: 'conversation',
    remoteChannels: [],
    ...overrides,
  };
}

const start = { namespace: 'test', logger: silentLogger };

describe('planRuntime without a Docker engine', () => {
  it.each([
    ['no driver', {}],
    ['"auto"', { runtime: { driver: 'auto' } }],
    ['"docker"', { runtime: { driver: 'docker' } }],
  ])('refuses with %s in the config, in one line naming the fix; the local runtime is never a fallback', async (_, config) => {
    const refusal = planRuntime(request(config, {}));
    await expect(refusal).rejects.toThrow(
      /^refusing to run tools without a sandbox: the Docker engine is not answering at .*no-docker\.sock \(no socket\); fix: start the engine: /,
    );
    await expect(refusal).rejects.toMatchObject({ reason: 'engine_unavailable' });
    expect(((await refusal.catch((error: Error) => error)) as Error).message).not.toContain('\n');
  });

  it('refuses `--runtime docker` even when the config chooses local', async () => {
    await expect(planRuntime(request({ runtime: { driver: 'local' } }, { driverFlag: 'docker' }))).rejects.toThrow(
      /not answering/,
    );
  });

  it.each([
    ['the config', { runtime: { driver: 'local' } }, {}, 'ngb.config.json sets "runtime.driver": "local"'],
    ['--runtime local', {}, { driverFlag: 'local' as const }, '--runtime local'],
  ])(
    'runs the local runtime when %s chooses it, with a NOT ISOLATED warning naming the choice',
    async (_, config, overrides, reason) => {
      const choice = await startRuntime(await planRuntime(request(config, overrides)), start);
      expect(choice.driver).toBe('local');
      expect(choice.runtime.isolated).toBe(false);
      expect(choice.warning).toMatch(
        new RegExp(`^NOT ISOLATED: ${reason.replace(/[.*"-]/g, '\\$&')}, so tools run directly on this machine`),
      );
      await choice.runtime.close();
    },
  );

  it('refuses to serve a remote channel on the local runtime unless the config allows it', async () => {
    await expect(
      planRuntime(request({ runtime: { driver: 'local' } }, { purpose: 'serve', remoteChannels: ['slack'] })),
    ).rejects.toThrow(/refusing to serve slack without a sandbox: .* set "allowLocalRuntime": true/);
    await expect(
      planRuntime(request({}, { purpose: 'serve', remoteChannels: ['telegram'], driverFlag: 'local' })),
    ).rejects.toThrow(/refusing to serve telegram/);
    const allowed = await startRuntime(
      await planRuntime(
        request({ allowLocalRuntime: true }, { purpose: 'serve', remoteChannels: ['telegram'], driverFlag: 'local' }),
      ),
      start,
    );
    expect(allowed.driver).toBe('local');
    expect(allowed.warning).toContain('NOT ISOLATED');
    await allowed.runtime.close();
  });
});
