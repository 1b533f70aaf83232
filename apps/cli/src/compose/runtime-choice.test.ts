import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@ngb/plugin-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config';
import { projectPaths } from '../config/project-paths';
import { chooseRuntime, type RuntimeRequest } from './runtime-choice';

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
    namespace: 'test',
    logger: silentLogger,
    ...overrides,
  };
}

describe('chooseRuntime without a Docker engine', () => {
  it('falls back to the local runtime for run and shell, with a NOT ISOLATED warning naming the reason', async () => {
    const choice = await chooseRuntime(request({}, {}));
    expect(choice.driver).toBe('local');
    expect(choice.runtime.isolated).toBe(false);
    expect(choice.warning).toMatch(/^NOT ISOLATED: the Docker engine is not answering at .*no-docker\.sock \(no socket\)/);
    await choice.runtime.close();
  });

  it('refuses to serve a remote channel on the local runtime unless the config allows it', async () => {
    await expect(chooseRuntime(request({}, { purpose: 'serve', remoteChannels: ['telegram'] }))).rejects.toThrow(
      /refusing to serve telegram without a sandbox: .* set "allowLocalRuntime": true/,
    );
    await expect(
      chooseRuntime(request({ runtime: { driver: 'local' } }, { purpose: 'serve', remoteChannels: ['slack'] })),
    ).rejects.toThrow(/refusing to serve slack/);
    const allowed = await chooseRuntime(request({ allowLocalRuntime: true }, { purpose: 'serve', remoteChannels: ['telegram'] }));
    expect(allowed.driver).toBe('local');
    expect(allowed.warning).toContain('NOT ISOLATED');
    await allowed.runtime.close();
  });

  it('serves without channels on the local runtime (the warning still says so)', async () => {
    const choice = await chooseRuntime(request({}, { purpose: 'serve' }));
    expect(choice.warning).toContain('NOT ISOLATED');
    await choice.runtime.close();
  });

  it('fails with the fix when the config insists on Docker', async () => {
    await expect(chooseRuntime(request({ runtime: { driver: 'docker' } }, {}))).rejects.toThrow(
      /the Docker engine is not answering at .*: start the engine: .*or set "runtime.driver": "local"/,
    );
  });
});
