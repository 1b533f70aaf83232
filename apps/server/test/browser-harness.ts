import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWebChannel } from '@ngb/channel-web';
import type { GatewayOptions, TimedGatewayEvent } from '@ngb/core';
import type { ChannelAdapter } from '@ngb/plugin-sdk';
import type { LlmScriptStep } from '@ngb/plugin-sdk/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createServerHarness, type ServerHarness } from '../src/__tests__/server-harness';
import type { BudgetsSource } from '../src/api/api-parts';
import { createServer, type Server } from '../src/create-server';

/** Debian's browser, never a downloaded one (`.ci/system.sh` installs it). */
const chromiumPath = '/usr/bin/chromium';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const packageRoot = fileURLToPath(new URL('../', import.meta.url));
export const webBuild = `${packageRoot}dist/web`;
export const screenshots = fileURLToPath(new URL('../../../docs/images/', import.meta.url));

/** Builds the dashboard when the tests run before `pnpm build` did. */
export async function ensureDashboardBuilt(): Promise<void> {
  if (existsSync(`${webBuild}/index.html`)) return;
  const { build } = await import('vite');
  await build({ configFile: `${packageRoot}vite.config.ts`, logLevel: 'error' });
}

/** Starts Debian's Chromium headless. */
async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `[@ngb/server] browser tests need Debian's chromium at ${chromiumPath}: run .ci/system.sh (apt-get install chromium)`,
    );
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/** A real gateway served by a real `createServer` on a free loopback port. */
interface BrowserHarness {
  gateway: ServerHarness;
  server: Server;
  url: string;
  events: TimedGatewayEvent[];
  /** The structured log file `/api/logs` reads: a test writes its records. */
  logFile: string;
  /** Posts a message from `user-1` in the wired chat `chat-1` and resolves once it is stored. */
  say(text: string, extra?: { sender?: string; chatId?: string }): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

async function startBrowserHarness(
  options: {
    script?: LlmScriptStep[];
    token?: string;
    webChat?: boolean;
    /** Gateway options besides the harness's own (budgets, prices). */
    gateway?: Partial<Omit<GatewayOptions, 'store' | 'runtime' | 'providers' | 'agentsDirectory' | 'channels'>>;
    /** The budgets `/api/budgets` reports, read from the harness's store. */
    budgets?: (store: ServerHarness['store']) => BudgetsSource;
    /** More channels for the gateway and the server. */
    channels?: ChannelAdapter[];
    /** The port to listen on (a free one by default): another run of a gateway where the last one listened. */
    port?: number;
    /** Runs once the gateway is up and before the server listens: what happens before a page can connect. */
    beforeListen?: (gateway: ServerHarness) => Promise<void>;
  } = {},
): Promise<BrowserHarness> {
  await ensureDashboardBuilt();
  const scratch = mkdtempSync(join(tmpdir(), 'ngb-browser-'));
  const logFile = join(scratch, 'ngb.log');
  writeFileSync(logFile, '');
  const web = options.webChat
    ? createWebChannel({ secret: 'a-cookie-signing-secret-of-32-characters', assistantName: 'Andy' })
    : undefined;
  const gateway = await createServerHarness({
    script: options.script,
    channels: [...(web ? [web] : []), ...(options.channels ?? [])],
    gateway: {
      ...(web ? { streaming: { web: { firstAfterChars: 1, firstAfterMs: 1, editIntervalMs: 50 } } } : {}),
      ...options.gateway,
    },
  });
  const events: TimedGatewayEvent[] = [];
  gateway.gateway.events.on((event) => void events.push(event));
  const agent = await gateway.store.agents.getByFolder('main');
  const chat = await gateway.store.chats.upsert({
    channel: 'fake',
    platformChatId: 'chat-1',
    name: 'Team room',
    isGroup: false,
    status: 'active',
    unknownSenderPolicy: 'public',
  });
  await gateway.store.wirings.add({ chatId: chat.id, agentId: agent!.id, engage: 'always', sessionMode: 'shared' });
  await options.beforeListen?.(gateway);
  const serverOptions = {
    gateway: gateway.gateway,
    store: gateway.store,
    channels: [gateway.channel, ...(web ? [web] : []), ...(options.channels ?? [])],
    port: options.port ?? 0,
    isolated: false,
    token: options.token,
    logFile,
    budgets: options.budgets?.(gateway.store),
  };
  const server = await createServer(serverOptions);
  let closing: Promise<void> | undefined;
  return {
    gateway,
    server,
    url: server.url,
    events,
    logFile,
    async say(text, extra = {}) {
      counter += 1;
      await gateway.channel.inject({
        text,
        chat: { id: extra.chatId ?? 'chat-1', isGroup: false, name: 'Team room' },
        sender: { id: extra.sender ?? 'user-1', name: 'Ada' },
        platformMessageId: `browser-${counter}`,
      });
    },
    close() {
      closing ??= (async () => {
        await server.close({ graceMs: 200 });
        await gateway.close();
        rmSync(scratch, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/**
 * Opens a page (in a fresh context) that records any script error or CSP refusal in `problems`;
 * with `token`, every request carries it as a bearer header.
 */
async function openPage(browser: Browser, problems: string[], token?: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 860 },
    colorScheme: 'dark',
    ...(token ? { extraHTTPHeaders: { authorization: `Bearer ${token}` } } : {}),
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  return page;
}

/** A browser test file's Chromium, its harnesses and the page problems checked after each test. */
export interface ChromiumSuite {
  /** Starts a harness of this test (closed after the test, unless the test closed it). */
  start(options?: Parameters<typeof startBrowserHarness>[0]): Promise<BrowserHarness>;
  /** Opens a page recording problems; none may be left when the test ends. */
  open(token?: string): Promise<Page>;
}

/** Registers the hooks of a browser test file: one Chromium for the file, harnesses per test. */
export function useChromiumSuite(): ChromiumSuite {
  let browser: Browser | undefined;
  let harnesses: BrowserHarness[] = [];
  let problems: string[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await Promise.all(harnesses.map((harness) => harness.close()));
    harnesses = [];
    const seen = problems;
    problems = [];
    expect(seen).toEqual([]);
  });
  return {
    async start(options) {
      const harness = await startBrowserHarness(options);
      harnesses.push(harness);
      return harness;
    },
    open(token) {
      if (!browser) throw new Error('[test] Chromium is not running: open pages inside a test');
      return openPage(browser, problems, token);
    },
  };
}
