import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, localRuntime, type ServeProcess, startServe, useProjectWithModel, waitFor } from './cli-harness';

const fixture = useProjectWithModel('serve-restart', localRuntime);
const running: ServeProcess[] = [];

afterAll(async () => {
  for (const serve of running) if (serve.child.exitCode === null) await serve.stop();
});

interface History {
  messages: Array<{ from: string; text: string }>;
}

async function serve() {
  const started = await startServe(fixture.project.dir, cliEnv(fixture.model));
  running.push(started);
  const url = /open\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(started.stdout())?.[1];
  if (url === undefined) throw new Error(`no address in: ${started.stdout()}`);
  /** The dashboard's own chat, as its page sends (same origin). */
  const say = async (text: string) => {
    const response = await fetch(`${url}/api/chat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ text }),
    });
    expect(response.status).toBe(202);
  };
  const history = async () => ((await (await fetch(`${url}/api/chat/history`)).json()) as History).messages;
  return { started, say, history };
}

describe('the web chat across a restart of `ngb serve`', { timeout: 90_000 }, () => {
  it('shows the conversation again, both sides of it, once the gateway is back', async () => {
    const first = await serve();
    const code = /send \/claim ([0-9A-Z]{10})/.exec(first.started.stdout())?.[1];
    expect(code).toBeDefined();
    await first.say(`/claim ${code}`);
    await first.say('hello before the restart');
    const before = await waitFor(async () => {
      const messages = await first.history();
      return messages.some((message) => message.text === 'echo: hello before the restart') && messages;
    }, 'the agent to answer');
    expect(await first.started.stop()).toBe(0);

    const second = await serve();
    const after = await second.history();
    // Everything the page showed before the restart, in the same order, but the claim: the gateway
    // keeps no message that carried a one-time code.
    const shown = (messages: History['messages']) => messages.map((message) => [message.from, message.text]);
    expect(shown(after)).toEqual(shown(before.filter((message) => message.text !== `/claim ${code}`)));
    expect(after.map((message) => message.text)).toEqual(
      expect.arrayContaining(['hello before the restart', 'echo: hello before the restart']),
    );
    expect(JSON.stringify(after)).not.toContain(code);
    // The conversation goes on after it.
    await second.say('hello after the restart');
    await waitFor(
      async () => (await second.history()).some((message) => message.text === 'echo: hello after the restart'),
      'the agent to answer again',
    );
    expect(await second.started.stop()).toBe(0);
  });
});
