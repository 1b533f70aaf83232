import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliBin, createProject, localRuntime, waitFor } from './cli-harness';

// `ngb shell` in a real terminal: tmux gives it a pty, `send-keys` types, `capture-pane` reads the screen.
const socket = `ngb-cli-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

let server: FakeLlmServer;
let project: { dir: string; remove: () => void };

beforeAll(async () => {
  assertBuilt();
  server = await createFakeLlmServer({ acceptAnyModel: true });
  project = await createProject('shell', localRuntime);
});
afterAll(async () => {
  try {
    tmux('kill-server');
  } catch {
    // Already gone.
  }
  await server?.close();
  project?.remove();
});

/** Starts `ngb <args>` in a new tmux window; the pane stays after it exits and shows its exit code. */
function startInTerminal(name: string, args: string[]): { screen: () => string; type: (text: string) => void } {
  const command = [
    'env',
    `OPENAI_BASE_URL=${quote(`${server.url}/v1`)}`,
    'NO_COLOR=1',
    quote(process.execPath),
    quote(cliBin),
    ...args.map(quote),
  ].join(' ');
  tmux('new-session', '-d', '-s', name, '-x', '200', '-y', '60', '-c', project.dir, `${command}; echo "[exited $?]"; sleep 120`);
  return {
    screen: () => tmux('capture-pane', '-p', '-J', '-t', name, '-S', '-500'),
    type: (text: string) => {
      tmux('send-keys', '-t', name, '-l', text);
      tmux('send-keys', '-t', name, 'Enter');
    },
  };
}

describe('ngb shell in a terminal', { timeout: 60_000 }, () => {
  it('holds two turns, shows /session, exits, and --resume continues the same transcript', async () => {
    const first = startInTerminal('first', ['shell']);
    await waitFor(() => /^main> $/m.test(first.screen()), 'the first prompt');
    expect(first.screen()).toMatch(/ngb shell · agent main · session [0-9a-f]{8} \(new\)/);

    first.type('hello from turn one');
    await waitFor(() => first.screen().includes('echo: hello from turn one'), 'the first answer');
    first.type('and turn two');
    await waitFor(() => first.screen().includes('echo: and turn two'), 'the second answer');

    first.type('/session');
    const sessionId = await waitFor(
      () => /^session {2}([0-9a-f-]{36}) \(active\)$/m.exec(first.screen())?.[1],
      '/session output',
    );
    expect(first.screen()).toMatch(/^turns {4}2 · /m);

    first.type('/exit');
    await waitFor(() => first.screen().includes('[exited 0]'), 'the shell to exit with code 0');
    expect(readFileSync(join(project.dir, '.ngb/shell_history'), 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['hello from turn one', 'and turn two', '/session', '/exit']),
    );

    const second = startInTerminal('second', ['shell', '--resume', sessionId.slice(0, 8)]);
    await waitFor(() => /^main> $/m.test(second.screen()), 'the resumed prompt');
    const resumed = second.screen();
    expect(resumed).toContain(`session ${sessionId.slice(0, 8)} (resumed)`);
    expect(resumed).toContain('Earlier in this session (2 turns):');
    expect(resumed).toContain('you: hello from turn one');
    expect(resumed).toContain('main: echo: and turn two');

    second.type('turn three');
    await waitFor(() => second.screen().includes('echo: turn three'), 'the third answer');
    const modelSaw = JSON.stringify(server.requests().at(-1)?.messages);
    expect(modelSaw).toContain('hello from turn one');
    expect(modelSaw).toContain('echo: and turn two');

    second.type('/session');
    await waitFor(() => /^turns {4}3 · /m.test(second.screen()), 'three turns in the same session');
    expect(second.screen()).toContain(`session  ${sessionId} (active)`);
    second.type('/exit');
    await waitFor(() => second.screen().includes('[exited 0]'), 'the resumed shell to exit');
  }, 60_000);

  it('an unknown command is named and the shell goes on; Ctrl-D leaves', async () => {
    const shell = startInTerminal('third', ['shell']);
    await waitFor(() => /^main> $/m.test(shell.screen()), 'the prompt');
    shell.type('/frobnicate');
    await waitFor(() => shell.screen().includes('✖ unknown command /frobnicate; /help lists them'), 'the refusal');
    tmux('send-keys', '-t', 'third', 'C-d');
    await waitFor(() => shell.screen().includes('[exited 0]'), 'Ctrl-D to leave');
  }, 30_000);
});
