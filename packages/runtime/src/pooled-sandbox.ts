import {
  type Clock,
  type Logger,
  type McpServersCapability,
  type Sandbox,
  type SandboxCallOptions,
  type SandboxCallResult,
  SandboxError,
  type SandboxInfo,
  type SandboxMcpServerStatus,
  type SandboxSpec,
  type SandboxToolDefinition,
  type TimerHandle,
} from '@ngb/plugin-sdk';
import { mcpServerLimits, sandboxToolDefinitions, type ToolList } from '@ngb/sandbox';
import type { SandboxChannel } from './sandbox-channel';

/** One running sandbox program (a container or a child process) with its protocol channel. */
export interface SandboxInstance {
  /** Container id or `pid:<n>`. */
  readonly id: string;
  readonly channel: SandboxChannel;
  /** Stops and removes it; idempotent, never throws for "already gone". */
  stop(): Promise<void>;
  /** Names the turn its calls now belong to (its egress proxy counts bytes per turn); absent without egress. */
  beginTurn?(turnId: string): void;
}

/** What a {@link PooledSandbox} needs from its pool. */
export interface PooledSandboxHooks {
  spec: SandboxSpec;
  start: () => Promise<SandboxInstance>;
  clock: Clock;
  idleTimeoutMs: number;
  logger: Logger;
  /** The sandbox has stopped for good; its slot is free. */
  onClosed: (sandbox: PooledSandbox) => void;
  /** It has no claim and no call running any more: the pool may stop it to make room. */
  onEvictable: (sandbox: PooledSandbox) => void;
}

/**
 * A session's sandbox as handed to callers. It survives its instances: when a container or
 * process dies, the next call starts a fresh one in the same slot.
 */
export class PooledSandbox implements Sandbox, McpServersCapability {
  readonly sessionId: string;
  readonly createdAt: number;
  lastActiveAt: number;
  claims = 0;
  callsInFlight = 0;
  #hooks: PooledSandboxHooks;
  #instance: SandboxInstance | undefined;
  #starting: Promise<SandboxInstance> | undefined;
  #lastId = '';
  #open = true;
  #idleTimer: TimerHandle | undefined;
  #closing: Promise<void> | undefined;

  constructor(hooks: PooledSandboxHooks) {
    this.#hooks = hooks;
    this.sessionId = hooks.spec.sessionId;
    this.createdAt = hooks.clock.now();
    this.lastActiveAt = this.createdAt;
  }

  get id(): string {
    return this.#instance?.id ?? this.#lastId;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** True while an instance is being started. */
  get isStarting(): boolean {
    return this.#starting !== undefined;
  }

  info(): SandboxInfo {
    return {
      id: this.id,
      sessionId: this.sessionId,
      agentName: this.#hooks.spec.agentName,
      state: this.callsInFlight > 0 ? 'busy' : this.#starting ? 'starting' : 'idle',
      claims: this.claims,
      callsInFlight: this.callsInFlight,
      createdAt: this.createdAt,
      lastActiveAt: this.lastActiveAt,
    };
  }

  claim(): void {
    this.claims += 1;
    this.lastActiveAt = this.#hooks.clock.now();
  }

  release(): void {
    if (this.claims === 0) return;
    this.claims -= 1;
    if (this.claims === 0 && this.callsInFlight === 0) this.#hooks.onEvictable(this);
  }

  async call(tool: string, input: unknown, options?: SandboxCallOptions): Promise<SandboxCallResult> {
    if (!this.#open) throw closedError(this.sessionId);
    this.callsInFlight += 1;
    this.#touch();
    let instance: SandboxInstance | undefined;
    try {
      instance = await this.ensureInstance();
      if (options?.turnId !== undefined) instance.beginTurn?.(options.turnId);
      return await instance.channel.call(tool, input, options);
    } catch (error) {
      if (!this.#open) throw closedError(this.sessionId, error);
      if (instance && !instance.channel.usable) this.#discard(instance);
      throw error;
    } finally {
      this.callsInFlight -= 1;
      this.#touch();
      if (this.callsInFlight === 0 && this.claims === 0) this.#hooks.onEvictable(this);
    }
  }

  /**
   * The built-in tools the running program named in its hello. A name this runtime has no
   * definition of (an image newer than the runtime) cannot be described to the model: left out.
   */
  async listTools(): Promise<SandboxToolDefinition[]> {
    if (!this.#open) throw closedError(this.sessionId);
    const instance = await this.ensureInstance();
    const offered = new Set((await instance.channel.hello).tools);
    const builtIns = sandboxToolDefinitions.filter((definition) => offered.has(definition.name));
    if (!this.#hasMcpServers) return builtIns;
    return [...builtIns, ...(await this.#listMcp(instance)).tools];
  }

  /** The spec's MCP servers as the running program reports them (empty when the spec names none). */
  async mcpServers(): Promise<SandboxMcpServerStatus[]> {
    if (!this.#open) throw closedError(this.sessionId);
    if (!this.#hasMcpServers) return [];
    return (await this.#listMcp(await this.ensureInstance())).servers;
  }

  get #hasMcpServers(): boolean {
    return (this.#hooks.spec.mcpServers?.length ?? 0) > 0;
  }

  /** Asks the program for its MCP tools; it answers once every server has started or failed. */
  async #listMcp(instance: SandboxInstance): Promise<ToolList> {
    const longestStart = Math.max(
      ...(this.#hooks.spec.mcpServers ?? []).map((server) => server.startTimeoutMs ?? mcpServerLimits.defaultStartTimeoutMs),
    );
    try {
      // The servers start with the program, so the answer comes within their longest start time limit.
      return await instance.channel.listTools(longestStart + 10_000);
    } catch (error) {
      if (!this.#open) throw closedError(this.sessionId, error);
      if (!instance.channel.usable) this.#discard(instance);
      throw error;
    }
  }

  /** The live instance, starting one when there is none (first use, or the last one died). */
  ensureInstance(): Promise<SandboxInstance> {
    if (this.#instance?.channel.usable) return Promise.resolve(this.#instance);
    if (this.#instance) this.#discard(this.#instance);
    if (!this.#starting) {
      const starting = this.#hooks
        .start()
        .then((instance) => {
          if (!this.#open) {
            void instance.stop();
            throw closedError(this.sessionId);
          }
          this.#instance = instance;
          this.#lastId = instance.id;
          void instance.channel.ended.then((error) => {
            if (this.#instance !== instance) return;
            this.#hooks.logger.warn('sandbox ended; the next call starts a fresh one', {
              sessionId: this.sessionId,
              id: instance.id,
              reason: error.reason,
              message: error.message,
            });
            this.#discard(instance);
          });
          return instance;
        })
        .finally(() => {
          if (this.#starting === starting) this.#starting = undefined;
        });
      this.#starting = starting;
    }
    return this.#starting;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#open = false;
      if (this.#idleTimer !== undefined) this.#hooks.clock.clearTimeout(this.#idleTimer);
      const instance = this.#instance;
      this.#instance = undefined;
      const starting = this.#starting;
      await Promise.allSettled([instance?.stop(), starting?.then((started) => started.stop())]);
      this.#hooks.onClosed(this);
    })();
    return this.#closing;
  }

  #discard(instance: SandboxInstance): void {
    if (this.#instance === instance) this.#instance = undefined;
    instance
      .stop()
      .catch((error: unknown) => this.#hooks.logger.warn('could not remove a dead sandbox', { id: instance.id, error }));
  }

  #touch(): void {
    this.lastActiveAt = this.#hooks.clock.now();
    if (this.#idleTimer !== undefined) this.#hooks.clock.clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (this.callsInFlight === 0) this.scheduleIdleCheck();
  }

  /** Arms the idle timer: the sandbox is closed once no call has run for the idle timeout. */
  scheduleIdleCheck(): void {
    if (!this.#open) return;
    const { clock, idleTimeoutMs } = this.#hooks;
    const remaining = this.lastActiveAt + idleTimeoutMs - clock.now();
    this.#idleTimer = clock.setTimeout(
      () => {
        this.#idleTimer = undefined;
        if (this.callsInFlight > 0 || !this.#open) return;
        if (clock.now() - this.lastActiveAt >= idleTimeoutMs) {
          this.#hooks.logger.info('reaping an idle sandbox', { sessionId: this.sessionId, id: this.id });
          void this.close();
        } else {
          this.scheduleIdleCheck();
        }
      },
      Math.max(0, remaining),
    );
  }
}

/** The error of a call on a sandbox that was closed or reaped. */
function closedError(sessionId: string, cause?: unknown): SandboxError {
  return new SandboxError('closed', `[@ngb/runtime] the sandbox of session "${sessionId}" was closed; acquire a new one`, {
    cause,
  });
}
