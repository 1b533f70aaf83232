import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, type Gateway, type GatewayOptions } from '@ngb/core';
import { createOpenAIProvider } from '@ngb/llm-openai';
import type { ChannelAdapter } from '@ngb/plugin-sdk';
import { createRecordingChannel, type LlmScriptStep, type RecordingChannel } from '@ngb/plugin-sdk/testing';
import { createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { createServerApp, type ServerApp } from '../create-app';
import type { ServerOptions } from '../server-options';

/** A real gateway (SQLite store, fake model server, recording channel) behind the server's routes. */
export interface ServerHarness {
  gateway: Gateway;
  store: Awaited<ReturnType<typeof createSqliteStore>>;
  llm: FakeLlmServer;
  channel: RecordingChannel;
  served: ServerApp;
  /** The folder holding the agent folders (`main`, `global`, ...). */
  agentsDirectory: string;
  /** Answers one request through the app, as if it came over loopback. */
  request(path: string, init?: RequestInit & { host?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** Builds a started gateway and the server app over it (no socket; see `createServer` tests for that). */
export async function createServerHarness(
  options: {
    script?: LlmScriptStep[];
    server?: Partial<Omit<ServerOptions, 'gateway' | 'store'>>;
    gateway?: Partial<Omit<GatewayOptions, 'store' | 'runtime' | 'providers' | 'agentsDirectory' | 'channels'>>;
    channels?: ChannelAdapter[];
  } = {},
): Promise<ServerHarness> {
  const directory = mkdtempSync(join(tmpdir(), 'ngb-server-'));
  const agentsDirectory = join(directory, 'agents');
  mkdirSync(join(agentsDirectory, 'main'), { recursive: true });
  const store = await createSqliteStore({ path: ':memory:' });
  await store.agents.create({ folder: 'main', name: 'main', isMain: true });
  const llm = await createFakeLlmServer({ script: options.script ?? [], acceptAnyModel: true });
  const runtime = createLocalRuntime({ maxSandboxes: 2 });
  const channel = createRecordingChannel({ name: 'fake', limits: { maxMessageLength: 4096 } });
  const channels = [channel, ...(options.channels ?? [])];
  const gateway = createGateway({
    store,
    runtime,
    providers: { default: createOpenAIProvider({ baseURL: `${llm.url}/v1`, apiKey: 'k', model: 'fake-model', maxRetries: 0 }) },
    channels,
    agentsDirectory,
    ...options.gateway,
  });
  await gateway.start();
  const served = createServerApp({ gateway, store, channels, sandboxes: () => runtime.list(), ...options.server });
  return {
    gateway,
    store,
    llm,
    channel,
    served,
    agentsDirectory,
    request(path, init = {}) {
      const { host = '127.0.0.1:7070', ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!headers.has('host')) headers.set('host', host);
      return Promise.resolve(served.app.fetch(new Request(`http://${host}${path}`, { ...rest, headers })));
    },
    async close() {
      served.close();
      await gateway.stop({ graceMs: 500 });
      await runtime.close();
      await llm.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
