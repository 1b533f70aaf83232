import type { LlmProvider, LlmRequest, LlmStreamPart } from '@ngb/plugin-sdk';

/** One call to the gated model, waiting for the test to answer it. */
interface GatedCall {
  request: LlmRequest;
  /** Answers the call with `text` and the given usage. */
  answer(text: string, usage?: { inputTokens: number; outputTokens: number; model?: string }): void;
}

/** A model provider whose calls wait until the test answers them; an abort ends a call at once. */
export interface GatedModel {
  provider: LlmProvider;
  calls: GatedCall[];
  /** Resolves with the `index`-th call (0-based) once it arrived. */
  call(index: number): Promise<GatedCall>;
}

/** Creates a {@link GatedModel}. */
export function createGatedModel(): GatedModel {
  const calls: GatedCall[] = [];
  let arrived: Array<() => void> = [];
  const provider: LlmProvider = {
    specificationVersion: 1,
    name: 'gated',
    async *doStream(request) {
      let answer: (parts: LlmStreamPart[]) => void = () => {};
      const parts = new Promise<LlmStreamPart[]>((resolve) => {
        answer = resolve;
      });
      calls.push({
        request,
        answer: (text, usage = { inputTokens: 10, outputTokens: 5 }) =>
          answer([
            { type: 'text-delta', text },
            { type: 'usage', ...usage },
            { type: 'end', stopReason: 'end' },
          ]),
      });
      const waiting = arrived;
      arrived = [];
      for (const notify of waiting) notify();
      const signal = request.signal;
      const aborted = new Promise<never>((_, reject) => {
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      yield* await Promise.race([parts, aborted]);
    },
  };
  const call = async (index: number): Promise<GatedCall> => {
    for (;;) {
      const found = calls[index];
      if (found) return found;
      await new Promise<void>((resolve) => arrived.push(resolve));
    }
  };
  return { provider, calls, call };
}
