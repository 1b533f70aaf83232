import { type ChildProcess, spawn } from 'node:child_process';
import { createFakeLlmServer, createFakeQQServer, type FakeLlmServer, type FakeQQServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, cliBin, cliEnv, createProject, waitFor } from './cli-harness';
import { describeWithDocker } from './docker-gate';

describeWithDocker('ngb serve with the QQ channel (fake OneBot implementation, fake model, Docker sandbox)', () => {
  let qq: FakeQQServer;
  let llm: FakeLlmServer;
  let project: { dir: string; remove: () => void };
  let child: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';
  const seen = () => qq.sent.map((message) => message.text);

  beforeAll(async () => {
    assertBuilt();
    qq = await createFakeQQServer({ heartbeatIntervalMs: 1_000 });
    llm = await createFakeLlmServer({ acceptAnyModel: true });
    project = await createProject('serve-qq', (config) => {
      config.runtime = { driver: 'docker' };
      config.channels = { qq: { enabled: true, url: qq.url } };
    });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await qq?.close();
    await llm?.close();
    project?.remove();
  });

  it('a private message claims the gateway, then a message runs a tool in the sandbox and the reply reaches QQ', async () => {
    child = spawn(process.execPath, [cliBin, 'serve', '--grace', '1'], {
      cwd: project.dir,
      env: cliEnv({ OPENAI_BASE_URL: `${llm.url}/v1`, QQ_ONEBOT_ACCESS_TOKEN: qq.accessToken ?? '' }),
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    await waitFor(() => stderr.includes('Ctrl-C stops the gateway'), `serve to be ready (stderr: ${stderr})`, 30_000);
    await waitFor(() => qq.openConnections() === 1, 'the OneBot connection', 20_000);
    const code = /send \/claim ([0-9A-Z]{10})/.exec(stdout)?.[1];
    expect(code, stdout).toBeDefined();

    qq.injectMessage({ chatId: 'private:77', userId: 77, nickname: 'Ann', message: `/claim ${code}` });
    await waitFor(
      () => seen().some((text) => text.startsWith('You are now the owner')),
      `the claim answer (seen: ${seen()})`,
      20_000,
    );

    // The CQ-string form, as go-cqhttp-style implementations send it.
    qq.injectMessage({
      chatId: 'private:77',
      userId: 77,
      nickname: 'Ann',
      message: 'run: echo sandboxed-$((6*7))',
      asCqString: true,
    });
    await waitFor(() => seen().some((text) => text.includes('sandboxed-42')), `the tool output (seen: ${seen()})`, 60_000);
    expect(qq.sent.every((message) => message.chatId === 'private:77')).toBe(true);
    expect(qq.refusals).toEqual([]);
    const modelRequests = llm.requests().filter((request) => JSON.stringify(request.body).includes('sandboxed'));
    expect(modelRequests.length).toBeGreaterThanOrEqual(2);
  });
});
