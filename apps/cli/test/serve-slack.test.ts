import { type ChildProcess, spawn } from 'node:child_process';
import { createFakeLlmServer, createFakeSlackServer, type FakeLlmServer, type FakeSlackServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, cliBin, cliEnv, createProject, runCli, waitFor } from './cli-harness';
import { describeWithDocker } from './docker-gate';

describeWithDocker('ngb serve with the Slack channel (Socket Mode) against a fake Slack', () => {
  let llm: FakeLlmServer;
  let slack: FakeSlackServer;
  let project: { dir: string; remove: () => void };
  let serve: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';

  beforeAll(async () => {
    assertBuilt();
    llm = await createFakeLlmServer({ acceptAnyModel: true });
    slack = await createFakeSlackServer({ users: [{ id: 'U0ANN', name: 'ann', displayName: 'Ann' }] });
    project = await createProject('serve-slack', (config) => {
      config.runtime = { driver: 'docker' };
      config.channels = { slack: { enabled: true, apiUrl: slack.apiUrl } };
    });
    serve = spawn(process.execPath, [cliBin, 'serve', '--grace', '1'], {
      cwd: project.dir,
      env: cliEnv({ OPENAI_BASE_URL: `${llm.url}/v1`, SLACK_BOT_TOKEN: slack.botToken, SLACK_APP_TOKEN: slack.appToken }),
    });
    serve.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    serve.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    await waitFor(() => stderr.includes('Ctrl-C stops the gateway'), `serve to be ready (stderr: ${stderr})`, 30_000);
    await waitFor(() => slack.openConnections() === 1, `the Socket Mode connection (stderr: ${stderr})`, 15_000);
  }, 90_000);

  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve?.once('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
    await slack?.close();
    await llm?.close();
    project?.remove();
  });

  /** The bot's messages in a chat as people see them now: streamed replies show their last edit. */
  const repliesIn = (channel: string) => {
    const { messages, edits } = slack.sent();
    return messages
      .filter((message) => message.channel === channel)
      .map((message) => {
        const last = edits.filter((edit) => edit.channel === channel && edit.ts === message.ts).at(-1);
        return last ? { ...message, text: last.text, format: last.format } : message;
      });
  };

  it('a /claim from Slack makes its sender the owner; a message then runs a tool in the sandbox and the reply reaches Slack', {
    timeout: 90_000,
  }, async () => {
    const code = /send \/claim ([0-9A-Z]{10}) from any chat/.exec(stdout)?.[1];
    expect(code, stdout).toBeDefined();
    slack.postMessage({ channel: 'D0ANN', user: 'U0ANN', text: `/claim ${code}` });
    const claimed = await waitFor(() => repliesIn('D0ANN')[0], `the claim answer (stderr: ${stderr})`, 20_000);
    expect(claimed.text).toMatch(/^You are now the owner/);
    expect((await runCli(['user', 'ls'], { cwd: project.dir })).stdout).toMatch(/^\S+\s+slack\s+U0ANN\s+Ann\s+-\s+owner$/m);

    const posted = slack.postMessage({ channel: 'D0ANN', user: 'U0ANN', text: 'run: echo slack-e2e-$((6*7))' });
    // The reply streams in plain edits; its final edit is the agent's markdown.
    await waitFor(
      () => repliesIn('D0ANN').find((message) => message.text.includes('slack-e2e-42') && message.format === 'markdown'),
      () => `a reply with the tool output (sent: ${JSON.stringify(slack.sent())}; stderr: ${stderr})`,
      60_000,
    );
    expect(slack.unackedEnvelopes()).toEqual([]);
    // Slack redelivers the message (a late ack): the gateway stores it once and runs no second turn.
    // The chat's turns run one after another, so once the next message is answered, a second turn
    // for the redelivery would have answered before it.
    const [envelope] = posted.envelopes;
    if (!envelope) throw new Error('no envelope');
    slack.redeliver(envelope.envelopeId);
    await slack.waitForAck(envelope.envelopeId);
    expect(envelope.retryAttempt).toBe(1);
    slack.postMessage({ channel: 'D0ANN', user: 'U0ANN', text: 'run: echo next-$((2+3))' });
    await waitFor(
      () => repliesIn('D0ANN').find((message) => message.text.includes('next-5')),
      'the answer to the next message',
      60_000,
    );
    expect(repliesIn('D0ANN').filter((message) => message.text.includes('slack-e2e-42'))).toHaveLength(1);
  });
});
