import { LlmApiError, type LlmProvider, type LlmRequest, type LlmStreamPart, type Logger, silentLogger } from '@ngb/plugin-sdk';

/** One API key of a provider: the provider built with it, and how logs name it (never the key). */
export interface ProviderKey {
  /** Such as `OPENAI_API_KEY #2`: where the key came from, never its value. */
  label: string;
  provider: LlmProvider;
}

/** Options of {@link createKeyRotatingProvider}. */
export interface KeyRotatingProviderOptions {
  /** The provider's name in logs and errors (`openai`). */
  name: string;
  /** The same provider built once per key, in the order they are tried. */
  keys: readonly ProviderKey[];
  /** Told once about each key that answered 401. @default silentLogger */
  logger?: Logger;
}

/**
 * One provider over several API keys. A 429 moves the next call to the next key (the error is passed
 * on, so the caller's retry goes there); a 401 or 403 marks the key bad for the life of the process,
 * is logged once, and the same call goes on with the next good key. When every key is bad the call
 * fails with a non-retryable `LlmApiError` naming them, never a key value.
 */
export function createKeyRotatingProvider(options: KeyRotatingProviderOptions): LlmProvider {
  const logger = options.logger ?? silentLogger;
  const bad = new Set<number>();
  let cursor = 0;
  const nextGood = (from: number): number | undefined => {
    for (let step = 0; step < options.keys.length; step += 1) {
      const index = (from + step) % options.keys.length;
      if (!bad.has(index)) return index;
    }
    return undefined;
  };
  async function* doStream(request: LlmRequest): AsyncIterable<LlmStreamPart> {
    for (;;) {
      const index = nextGood(cursor);
      if (index === undefined) {
        throw new LlmApiError(
          options.name,
          `[@ngb/core] every API key of "${options.name}" was refused (${options.keys.map((key) => key.label).join(', ')}); replace them and restart`,
          { status: 401, retryable: false },
        );
      }
      cursor = index;
      const key = options.keys[index] as ProviderKey;
      let yielded = false;
      try {
        for await (const part of key.provider.doStream(request)) {
          yielded = true;
          yield part;
        }
        return;
      } catch (error) {
        if (!LlmApiError.isInstance(error)) throw error;
        if (error.status === 429) {
          cursor = (index + 1) % options.keys.length;
          throw error;
        }
        if (error.status !== 401 && error.status !== 403) throw error;
        bad.add(index);
        logger.error('an API key was refused; it is not used again until restart', {
          provider: options.name,
          key: key.label,
          status: error.status,
        });
        if (yielded) throw error;
      }
    }
  }
  return { specificationVersion: 1, name: options.name, doStream };
}
