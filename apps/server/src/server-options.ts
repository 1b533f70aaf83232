import type { Gateway } from '@ngb/core';
import type { ChannelAdapter, Clock, Logger, SandboxInfo, Store } from '@ngb/plugin-sdk';
import type { BudgetsSource } from './api/api-parts';

/** A readiness probe: resolves when the part answers, rejects with the reason when it does not. */
export type ReadinessCheck = () => Promise<void>;

/** Options of {@link createServer}: the composed gateway and its parts, and where the server listens. */
export interface ServerOptions {
  /** The running gateway the API, the dashboard and the web chat talk to. */
  gateway: Gateway;
  /** The gateway's store, which the API and the dashboard read. */
  store: Store;
  /** The gateway's channels: webhook-capable ones are mounted at `/channels/<name>/webhook`. */
  channels?: readonly ChannelAdapter[];
  /** Address to bind. Anything but a loopback address needs {@link ServerOptions.token}. @default '127.0.0.1' */
  host?: string;
  /** Port to listen on; 0 picks a free one. @default 7070 */
  port?: number;
  /**
   * The auth token protecting the API, the live events, the metrics and the dashboard (as a bearer
   * header, or as a cookie after the login page). Without one the server binds loopback only.
   */
  token?: string;
  /** Probes `/readyz` runs besides the channels' states, by name (`store`, `runtime`). */
  readiness?: Record<string, ReadinessCheck>;
  /** True when tools run isolated from the host; the dashboard says plainly when they do not. */
  isolated?: boolean;
  /** Sandboxes running now, for `/metrics`. */
  sandboxCount?: () => Promise<number>;
  /** The runtime's sandboxes, for `/api/sandboxes`. */
  sandboxes?: () => Promise<SandboxInfo[]>;
  /** The loaded config, which `/api/config` answers with its secrets redacted. */
  config?: unknown;
  /** The config's budgets and the report of their spend, for `/api/budgets` (501 without). */
  budgets?: BudgetsSource;
  /**
   * Secret strings (tokens read from the environment) that never appear in an API answer: asked once,
   * at the first answer that could hold one (finding them loads every channel's manifest).
   */
  secretValues?: () => Promise<readonly string[]>;
  /** The structured log file `/api/logs` reads (only this file, never one named by a request). */
  logFile?: string;
  /** The gateway's version, in `/api/status` and the API document. */
  version?: string;
  /** Largest request body accepted, in bytes; larger ones get 413. @default 1 MiB */
  maxBodyBytes?: number;
  logger?: Logger;
  clock?: Clock;
}

/** What {@link ServerOptions} becomes once defaults are applied. */
export type ServerSettings = Required<Omit<ServerOptions, OptionalSettings>> & Pick<ServerOptions, OptionalSettings>;

type OptionalSettings = 'token' | 'sandboxes' | 'config' | 'budgets' | 'secretValues' | 'logFile' | 'version';
