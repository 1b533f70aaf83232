import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { createProject, localRuntime, type ServeProcess, waitFor } from './cli-harness';

/** The built `@ngb/plugin-sdk` of this repository and its valibot, as a plugin author's project installs them. */
const pluginSdk = fileURLToPath(new URL('../../../packages/plugin-sdk', import.meta.url));
const valibot = realpathSync(join(pluginSdk, 'node_modules', 'valibot'));

/** Writes files (paths relative to `root`), creating their folders. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/**
 * A project made by `ngb init` (local runtime, dashboard on a free port) naming `plugins`, with
 * `@ngb/plugin-sdk` and valibot installed in its `node_modules` as a plugin author's project has them.
 */
export async function pluginProject(prefix: string, plugins: unknown[]) {
  const project = await createProject(prefix, (config) => {
    localRuntime(config);
    config.plugins = plugins;
  });
  mkdirSync(join(project.dir, 'node_modules', '@ngb'), { recursive: true });
  symlinkSync(pluginSdk, join(project.dir, 'node_modules', '@ngb', 'plugin-sdk'));
  symlinkSync(valibot, join(project.dir, 'node_modules', 'valibot'));
  return project;
}

/** The dashboard's chat of a running `ngb serve`, claimed with the code it printed. */
export async function claimedDashboardChat(serve: ServeProcess) {
  const url = /open\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout())?.[1];
  const code = /send \/claim ([0-9A-Z]{10})/.exec(serve.stdout())?.[1];
  expect(url, serve.stdout()).toBeDefined();
  expect(code, serve.stdout()).toBeDefined();
  const history = async () => {
    const response = await fetch(`${url}/api/chat/history`);
    const body = (await response.json()) as { messages: Array<{ from: string; text: string }> };
    return body.messages.filter((message) => message.from === 'agent').map((message) => message.text);
  };
  /** Sends a text as the dashboard's owner and resolves with the next answer. */
  const say = async (text: string): Promise<string> => {
    const before = (await history()).length;
    const response = await fetch(`${url}/api/chat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: String(url) },
      body: JSON.stringify({ text }),
    });
    expect(response.status).toBe(202);
    const answers = await waitFor(
      async () => {
        const all = await history();
        return all.length > before ? all : undefined;
      },
      `an answer to "${text}" (stderr: ${serve.stderr()})`,
      45_000,
    );
    return answers[before] ?? '';
  };
  expect(await say(`/claim ${code}`)).toMatch(/^You are now the owner/);
  return { say };
}
