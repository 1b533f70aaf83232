import { type ChildProcess, spawn } from 'node:child_process';
import { createFakeDingTalkServer, createFakeLlmServer, type FakeDingTalkServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, cliBin, cliEnv, createProject, waitFor } from './cli-harness';
import { describeWithDocker } from './docker-gate';

describeWithDocker('ngb serve with the DingTalk channel (fake DingTalk, fake model, Docker sandbox)', () => {
  let dingtalk: FakeDingTalkServer;
  let llm: FakeLlmServer;
  let project: { dir: string; remove: () => void };
  let child: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';
  const ann = { senderStaffId: 'staff77', senderNick: 'Ann' };
  const seen = () => dingtalk.sent.map((message) => message.text);

  beforeAll(async () => {
    assertBuilt();
    dingtalk = await createFakeDingTalkServer();
    llm = await createFakeLlmServer({ acceptAnyModel: true });
    project = await createProject('serve-dingtalk', (config) => {
      config.runtime = { driver: 'docker' };
      config.channels = {
        dingtalk: { enabled: true, clientId: dingtalk.clientId, apiBaseUrl: dingtalk.url, sessionWebhookOrigins: [dingtalk.url] },
      };
    });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await dingtalk?.close();
    await llm?.close();
    project?.remove();
  });

  it('a 1:1 message claims the gateway, then a message runs a tool in the sandbox and the reply reaches DingTalk', async () => {
    child = spawn(process.execPath, [cliBin, 'serve', '--grace', '1'], {
      cwd: project.dir,
      env: cliEnv({ OPENAI_BASE_URL: `${llm.url}/v1`, DINGTALK_CLIENT_SECRET: dingtalk.clientSecret }),
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    await waitFor(() => stderr.includes('Ctrl-C stops the gateway'), `serve to be ready (stderr: ${stderr})`, 30_000);
    await waitFor(() => dingtalk.openConnections() === 1, 'the DingTalk stream connection', 20_000);
    const code = /send \/claim ([0-9A-Z]{10})/.exec(stdout)?.[1];
    expect(code, stdout).toBeDefined();

    dingtalk.injectMessage({ ...ann, text: `/claim ${code}` });
    await waitFor(
      () => seen().some((text) => text.startsWith('You are now the owner')),
      `the claim answer (seen: ${seen()})`,
      20_000,
    );

    dingtalk.injectMessage({ ...ann, text: 'run: echo sandboxed-$((6*7))' });
    await waitFor(() => seen().some((text) => text.includes('sandboxed-42')), `the tool output (seen: ${seen()})`, 60_000);
    expect(dingtalk.sent.every((message) => message.chatId === 'staff77' && message.via === 'session-webhook')).toBe(true);
    expect(dingtalk.stream.acks.length).toBe(2);
    expect(dingtalk.pendingCallbacks()).toBe(0);
    const modelRequests = llm.requests().filter((request) => JSON.stringify(request.body).includes('sandboxed'));
    expect(modelRequests.length).toBeGreaterThanOrEqual(2);
  });
});
