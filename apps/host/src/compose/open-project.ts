import type { Agent, Logger, Store } from '@ngb/plugin-sdk';
import type { Env, LoadedConfig } from '../config/load-config';
import { createFileLogger, type FileLoggerOptions } from '../logs/file-logger';
import { type LogSink, openLogSink } from '../logs/log-sink';
import { syncAgents } from './sync-agents';

/** A project opened by a command: its log, its store and its agents. */
export interface OpenProject extends LoadedConfig {
  env: Env;
  sink: LogSink;
  /** Writes to the structured log (and echoes when asked). */
  logger: Logger;
  /** Fields on every log line of this process. */
  logBase: { pid: number; command: string };
  store: Store;
  /** The agents of the agent folders, `main` first. */
  agents: Agent[];
  close(): Promise<void>;
}

/** Opens the log and the store (creating and migrating the database) and syncs the agents. */
export async function openProject(
  loaded: LoadedConfig,
  env: Env,
  options: { command: string; debug: boolean; echo?: FileLoggerOptions['echo'] },
): Promise<OpenProject> {
  const { log } = loaded.config;
  const sink = openLogSink(loaded.paths.logFile, {
    level: options.debug ? 'debug' : log.level,
    maxFileBytes: log.maxFileSizeMb * 1024 * 1024,
    maxFiles: log.maxFiles,
  });
  const logBase = { pid: process.pid, command: options.command };
  const logger = createFileLogger({ sink, base: logBase, echo: options.echo });
  try {
    const { createSqliteStore } = await import('@ngb/store');
    const store = await createSqliteStore({ path: loaded.paths.database, logger });
    const agents = await syncAgents(store, loaded.paths.agentsDir, loaded.config).catch(async (error: unknown) => {
      await store.close();
      throw error;
    });
    return {
      ...loaded,
      env,
      sink,
      logger,
      logBase,
      store,
      agents,
      async close() {
        await store.close();
        sink.close();
      },
    };
  } catch (error) {
    sink.close();
    throw error;
  }
}
