import { randomUUID } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import {
  type Logger,
  type SandboxCallOptions,
  type SandboxCallResult,
  SandboxError,
  type SandboxErrorReason,
} from '@ngb/plugin-sdk';
import {
  createLineSplitter,
  describeIssues,
  encodeFrame,
  type HelloFrame,
  type HostFrame,
  MAX_FRAME_BYTES,
  parseSandboxFrame,
  SANDBOX_PROTOCOL_VERSION,
  type SandboxErrorCode,
  type SandboxFrame,
  type ToolList,
  toolListSchema,
} from '@ngb/sandbox';
import * as v from 'valibot';

/** Options of {@link openSandboxChannel}. */
export interface SandboxChannelOptions {
  /** Frames from the sandbox program (its stdout). */
  input: Readable;
  /** Frames to the sandbox program (its stdin). */
  output: Writable;
  /** Called once the input ends: says why the sandbox went away (exit code, out of memory, ...). */
  diagnoseEnd: () => Promise<SandboxError>;
  /** How long to wait for the hello frame. */
  helloTimeoutMs: number;
  /** Time limit of calls that name none. */
  defaultTimeoutMs: number;
  /** How long past a call's time limit the host waits for the sandbox's own timeout answer. @default 3000 */
  timeoutGraceMs?: number;
  logger: Logger;
}

/** The host's end of one sandbox program's stdio. */
export interface SandboxChannel {
  /** Resolves with the hello frame; rejects when the sandbox ends first or speaks another protocol. */
  readonly hello: Promise<HelloFrame>;
  /** Resolves when the sandbox's output has ended, with the error pending calls got. */
  readonly ended: Promise<SandboxError>;
  /** False once the sandbox ended or stopped answering; such a channel must be replaced. */
  readonly usable: boolean;
  call(tool: string, input: unknown, options?: SandboxCallOptions): Promise<SandboxCallResult>;
  /**
   * Asks for the tools of the sandbox's MCP servers and their states; the sandbox answers once each
   * server has listed its tools or failed.
   * @param timeoutMs how long to wait for the answer before the channel is given up
   * @throws SandboxError `protocol` for an answer that is not a tool list within the caps, and
   *   like {@link call} when the sandbox ends or does not answer
   */
  listTools(timeoutMs: number): Promise<ToolList>;
}

interface Pending {
  tool: string;
  resolve: (result: SandboxCallResult) => void;
  reject: (error: SandboxError) => void;
  onProgress: SandboxCallOptions['onProgress'];
  started: number;
}

const reasonByCode: Record<SandboxErrorCode, SandboxErrorReason> = {
  protocol: 'protocol',
  unknown_tool: 'invalid_input',
  invalid_input: 'invalid_input',
  path_outside_workspace: 'invalid_input',
  not_found: 'tool_failed',
  tool_failed: 'tool_failed',
  timeout: 'timeout',
  cancelled: 'aborted',
  out_of_memory: 'out_of_memory',
};

/** How many ids of calls given up on (aborted, timed out) are remembered, so their late answers are expected. */
const abandonedIdsKept = 1024;

/** Speaks the sandbox protocol over a pair of streams: matches answers to calls, enforces time limits. */
export function openSandboxChannel(options: SandboxChannelOptions): SandboxChannel {
  const pending = new Map<string, Pending>();
  const abandoned = new Set<string>();
  const abandon = (id: string) => {
    abandoned.add(id);
    if (abandoned.size > abandonedIdsKept) abandoned.delete(abandoned.values().next().value as string);
  };
  const graceMs = options.timeoutGraceMs ?? 3000;
  let usable = true;
  let endError: SandboxError | undefined;
  let resolveHello!: (hello: HelloFrame) => void;
  let rejectHello!: (error: SandboxError) => void;
  const hello = new Promise<HelloFrame>((resolve, reject) => {
    resolveHello = resolve;
    rejectHello = reject;
  });
  hello.catch(() => {});
  const helloTimer = setTimeout(() => {
    usable = false;
    rejectHello(new SandboxError('crashed', `[@ngb/runtime] the sandbox did not say hello within ${options.helloTimeoutMs} ms`));
  }, options.helloTimeoutMs);
  helloTimer.unref?.();

  const receive = (frame: SandboxFrame) => {
    if (frame.type === 'hello') {
      clearTimeout(helloTimer);
      if (frame.protocol === SANDBOX_PROTOCOL_VERSION) resolveHello(frame);
      else {
        usable = false;
        rejectHello(
          new SandboxError(
            'protocol',
            `[@ngb/runtime] the sandbox speaks protocol ${frame.protocol}, this runtime speaks ${SANDBOX_PROTOCOL_VERSION}; rebuild the sandbox image`,
          ),
        );
      }
      return;
    }
    if (frame.id === null) {
      options.logger.warn('sandbox refused a frame', { error: frame.type === 'response' && !frame.ok ? frame.error : undefined });
      return;
    }
    const call = pending.get(frame.id);
    if (!call) {
      if (abandoned.has(frame.id)) {
        if (frame.type === 'response') abandoned.delete(frame.id);
        options.logger.debug('late frame of a call given up on; dropped', { type: frame.type, id: frame.id });
      } else {
        // Ids are random and the sandbox answers only what it was asked: whoever wrote this is not the sandbox program.
        options.logger.warn('sandbox sent a frame for a request the host is not waiting for; dropped', {
          type: frame.type,
          id: frame.id.slice(0, 128),
        });
      }
      return;
    }
    if (frame.type === 'progress') {
      call.onProgress?.({ stream: frame.stream, text: frame.text });
      return;
    }
    pending.delete(frame.id);
    if (frame.ok) call.resolve({ output: frame.output, durationMs: Date.now() - call.started });
    else call.reject(new SandboxError(reasonByCode[frame.error.code], `[@ngb/runtime] ${call.tool}: ${frame.error.message}`));
  };

  const reader = createLineSplitter(
    MAX_FRAME_BYTES,
    (line) => {
      const parsed = parseSandboxFrame(line);
      if (parsed.ok) receive(parsed.frame);
      else options.logger.warn('sandbox wrote a line that is not a frame', { line: line.slice(0, 200), problem: parsed.message });
    },
    () => options.logger.warn('sandbox wrote an oversized line; dropped'),
  );
  options.input.on('data', (chunk: Buffer) => reader.push(chunk));

  const ended = new Promise<SandboxError>((resolve) => {
    let done = false;
    const finish = async () => {
      if (done) return;
      done = true;
      usable = false;
      clearTimeout(helloTimer);
      endError = await options
        .diagnoseEnd()
        .catch((error: unknown) => new SandboxError('crashed', '[@ngb/runtime] the sandbox ended', { cause: error }));
      rejectHello(endError);
      for (const call of pending.values()) call.reject(endError);
      pending.clear();
      resolve(endError);
    };
    options.input.once('end', finish);
    options.input.once('close', finish);
    options.input.once('error', finish);
  });

  return {
    hello,
    ended,
    get usable() {
      return usable;
    },
    call(tool, input, callOptions = {}) {
      const timeoutMs = callOptions.timeoutMs ?? options.defaultTimeoutMs;
      return exchange(tool, timeoutMs, callOptions, (id) => ({
        type: 'request',
        id,
        tool,
        input,
        timeoutMs,
        ...(callOptions.onProgress ? { progress: true } : {}),
      }));
    },
    async listTools(timeoutMs) {
      const result = await exchange('list-tools', timeoutMs, {}, (id) => ({ type: 'list-tools', id }));
      const parsed = v.safeParse(toolListSchema, result.output);
      if (!parsed.success) {
        throw new SandboxError(
          'protocol',
          `[@ngb/runtime] the sandbox answered list-tools with something that is not a tool list within the caps: ${describeIssues(parsed.issues)}`,
        );
      }
      return parsed.output;
    },
  };

  /**
   * Sends one frame that the sandbox answers with one response, and waits for that answer. The
   * sandbox answers `timeout` itself at `timeoutMs`; past it and a grace period the channel is given up.
   */
  function exchange(
    tool: string,
    timeoutMs: number,
    callOptions: Pick<SandboxCallOptions, 'signal' | 'onProgress'>,
    frame: (id: string) => HostFrame,
  ): Promise<SandboxCallResult> {
    if (endError) return Promise.reject(endError);
    if (!usable) return Promise.reject(new SandboxError('crashed', '[@ngb/runtime] the sandbox stopped answering'));
    const signal = callOptions.signal;
    if (signal?.aborted) return Promise.reject(abortedError(tool));
    // Unguessable, so that nothing but the sandbox program, which was told the id, can answer a call.
    const id = randomUUID();
    return new Promise<SandboxCallResult>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (!pending.delete(id)) return;
        cleanup();
        abandon(id);
        write({ type: 'cancel', id });
        reject(abortedError(tool));
      };
      // The sandbox answers `timeout` itself at `timeoutMs`; this one fires only if it cannot. A timer
      // past 2^31-1 ms would fire at once (the sandbox refuses such a call anyway).
      const answerWithinMs = Math.min(timeoutMs + graceMs, 2 ** 31 - 1);
      const timer = setTimeout(() => {
        if (!pending.delete(id)) return;
        cleanup();
        abandon(id);
        usable = false;
        reject(
          new SandboxError(
            'timeout',
            `[@ngb/runtime] ${tool}: the sandbox did not answer within ${timeoutMs + graceMs} ms; it will be replaced`,
          ),
        );
      }, answerWithinMs);
      pending.set(id, {
        tool,
        onProgress: callOptions.onProgress,
        started: Date.now(),
        resolve: (result) => {
          cleanup();
          resolve(result);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      write(frame(id));
    });
  }

  function write(frame: Parameters<typeof encodeFrame>[0]): void {
    if (options.output.writableEnded || options.output.destroyed) return;
    options.output.write(encodeFrame(frame));
  }
}

function abortedError(tool: string): SandboxError {
  return new SandboxError('aborted', `[@ngb/runtime] ${tool}: the call was aborted`);
}
