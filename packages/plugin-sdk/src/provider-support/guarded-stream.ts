import type { LlmStreamPart } from '../contracts/llm';
import { createAttemptGuard, guardedParts } from './attempt-guard';

/** Turns one SDK's stream of chunks into contract parts. */
export interface PartAssembler<Chunk> {
  /** The parts one chunk completes (often none). */
  push(chunk: Chunk): Iterable<LlmStreamPart>;
  /** The closing parts once the stream is over; throws when it ended too early (truncated). */
  end(): Iterable<LlmStreamPart>;
  /** True once the last part was made: the rest of the stream is not read. */
  readonly finished?: boolean;
}

/** One attempt of a streamed model call, as {@link streamGuardedAttempt} runs it. */
export interface GuardedAttempt<Client, Chunk> {
  /** The caller's signal. */
  signal: AbortSignal | undefined;
  /** The longest silence of the API, in milliseconds, before the attempt fails (retryable). */
  timeoutMs: number;
  /** The provider name, for the timeout error. */
  provider: string;
  /** The package tag that starts error messages, such as `[@ngb/llm-openai]`. */
  label: string;
  /** The SDK's client, loaded on the first call (see `loadOnce`). */
  load(): Promise<Client>;
  /** Opens the stream; the request must end when `signal` aborts. */
  open(client: Client, signal: AbortSignal): Promise<AsyncIterable<Chunk>>;
  assembler: PartAssembler<Chunk>;
  /** The contract's error for what the SDK threw once loaded (LlmApiError, with its status and retry advice). */
  mapError(error: unknown, client: Client): unknown;
}

/**
 * Runs one attempt of a streamed model call under an {@link AttemptGuard}: loads the client, opens
 * the stream and hands the caller the parts the assembler makes of each chunk, as they come. The
 * caller's abort and the API's silence stop it at once, with the abort's reason or a retryable
 * timeout error; what the SDK throws is mapped by `mapError`. The stream is let go in every case,
 * without waiting for it: after an abort the SDK's pending read may never settle.
 */
export async function* streamGuardedAttempt<Client, Chunk>(
  attempt: GuardedAttempt<Client, Chunk>,
): AsyncGenerator<LlmStreamPart, void, undefined> {
  const guard = createAttemptGuard(attempt.signal, attempt.timeoutMs, attempt.provider, attempt.label);
  const { assembler } = attempt;
  let chunks: AsyncIterator<Chunk> | undefined;
  let loaded: { client: Client } | undefined;
  try {
    loaded = { client: await guard.race(attempt.load()) };
    const stream = await guard.race(attempt.open(loaded.client, guard.signal));
    chunks = stream[Symbol.asyncIterator]();
    for (;;) {
      guard.touch();
      const next = await guard.race(chunks.next());
      if (next.done === true) {
        yield* guardedParts(guard, assembler.end());
        return;
      }
      yield* guardedParts(guard, assembler.push(next.value));
      if (assembler.finished === true) return;
    }
  } catch (error) {
    const stopped = guard.stopError();
    if (stopped) throw stopped;
    if (!loaded) throw error;
    throw attempt.mapError(error, loaded.client);
  } finally {
    guard.dispose();
    chunks?.return?.().catch(() => {});
  }
}
