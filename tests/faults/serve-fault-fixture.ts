import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createFakeLlmServer, createFakeTelegramServer, type FakeLlmServer, type FakeTelegramServer } from '@ngb/testing';
import {
  assertBuilt,
  cliEnv,
  createProject,
  localRuntime,
  type ServeProcess,
  startServe,
  waitFor,
} from '../../apps/cli/test/cli-harness';

/** The person who claims the gateway and talks to it, in their private chat. */
export const owner = { chatId: 1001, from: { id: 77, first_name: 'Ann' } } as const;

/** A project served with the Telegram channel on a fake Bot API and the fake model. */
export interface ServeFault {
  model: FakeLlmServer;
  /** The project's data folder (`dataDir`). */
  dataDir: string;
  telegram: FakeTelegramServer;
  dir: string;
  /** The project's SQLite database. */
  database: string;
  /** Starts `ngb serve` in the project. */
  serve(): Promise<ServeProcess>;
  /** What the bot said in the owner's chat, in order (texts as people see them). */
  said(): string[];
  /**
   * The bot's messages in the owner's chat as they read now, in the order they were first sent:
   * a reply streamed into a message is sent short and then edited.
   */
  messages(): string[];
  remove(): Promise<void>;
}

/**
 * Makes a project with the local runtime (these faults are not about the sandbox, and no tool runs), the Telegram
 * channel, a one-second session lease (a killed gateway's sessions are taken over quickly) and
 * the given config changes.
 */
export async function createServeFault(
  name: string,
  options: { dataDir?: string; changeConfig?: (config: Record<string, unknown>) => void } = {},
): Promise<ServeFault> {
  assertBuilt();
  const model = await createFakeLlmServer({ acceptAnyModel: true });
  const telegram = await createFakeTelegramServer();
  const project = await createProject(name, (config) => {
    localRuntime(config);
    // The fake model never asks for a tool: nothing runs on this machine.
    config.allowLocalRuntime = true;
    config.gateway = { ...(config.gateway as object | undefined), leaseSeconds: 1 };
    config.channels = { telegram: { enabled: true, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 5 } };
    if (options.dataDir !== undefined) config.dataDir = options.dataDir;
    options.changeConfig?.(config);
  });
  const env = cliEnv({ OPENAI_BASE_URL: `${model.url}/v1`, TELEGRAM_BOT_TOKEN: telegram.token });
  return {
    model,
    telegram,
    dir: project.dir,
    dataDir: options.dataDir ?? join(project.dir, '.ngb'),
    database: join(options.dataDir ?? join(project.dir, '.ngb'), 'ngb.db'),
    serve: () => startServe(project.dir, env),
    said: () =>
      telegram.sent
        .filter((sent) => sent.method === 'sendMessage' && sent.chatId === String(owner.chatId))
        .map((sent) => sent.text ?? ''),
    messages() {
      const texts = new Map<number, string>();
      for (const sent of telegram.sent) {
        if (sent.chatId !== String(owner.chatId) || sent.messageId === undefined) continue;
        if (sent.method === 'sendMessage' || sent.method === 'editMessageText') texts.set(sent.messageId, sent.text ?? '');
      }
      return [...texts.values()];
    },
    async remove() {
      await telegram.close();
      await model.close();
      project.remove();
    },
  };
}

/** Claims the gateway from the owner's chat with the code `serve` printed. */
export async function claimOwner(fault: ServeFault, serve: ServeProcess): Promise<void> {
  const code = /send \/claim ([0-9A-Z]{10})/.exec(serve.stdout())?.[1];
  if (code === undefined) throw new Error(`no claim code in: ${serve.stdout()}`);
  await waitFor(() => fault.telegram.calls.find((call) => call.method === 'getUpdates'), 'the first poll', 15_000);
  await fault.telegram.injectMessage({ ...owner, text: `/claim ${code}` });
  await waitFor(
    () => fault.said().some((text) => /owner/.test(text)),
    () => `the claim answer (${serve.stderr()})`,
    20_000,
  );
}

/** Kills `serve` with SIGKILL (no chance to clean up) and waits until it is gone. */
export async function killHard(serve: ServeProcess): Promise<void> {
  serve.child.kill('SIGKILL');
  await serve.exited;
}

/** Runs a query on the database read-only with the `sqlite3` CLI, as an operator would; rows as objects. */
export function queryReadOnly<Row = Record<string, unknown>>(database: string, sql: string): Row[] {
  const output = execFileSync('sqlite3', ['-readonly', '-json', database, sql], { encoding: 'utf8' });
  return output.trim() === '' ? [] : (JSON.parse(output) as Row[]);
}
