import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { LlmMessage, LlmStreamPart, LlmToolDefinition } from '../contracts/llm';
import type { LlmProviderHarness } from './llm-script';

/** What every part of the LLM provider contract suite shares. */
export interface LlmContractContext {
  /** The harness of the running suite (available inside tests). */
  harness(): LlmProviderHarness;
}

/** Registers setup/teardown and the no-unhandled-rejection check; returns the shared context. */
export function useLlmContractContext(setup: () => Promise<LlmProviderHarness>): LlmContractContext {
  let current: LlmProviderHarness | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => {
    unhandled.push(reason);
  };
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    current = await setup();
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await current?.close();
  });
  afterEach(async () => {
    await delay(20);
    const seen = unhandled.splice(0);
    expect(seen, 'no unhandled promise rejection').toEqual([]);
  });
  return {
    harness() {
      if (current === undefined) throw new Error('[@ngb/plugin-sdk] the LLM contract harness is not set up');
      return current;
    },
  };
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thrown by {@link within} when the awaited work hangs. */
class HangError extends Error {}

/** Settles like `promise`, or rejects when it takes longer than `ms` (a hang is a failure, not a stuck run). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HangError(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the whole stream, failing the test if it takes longer than `ms`. */
export function collect(stream: AsyncIterable<LlmStreamPart>, ms = 8_000): Promise<LlmStreamPart[]> {
  const run = async () => {
    const parts: LlmStreamPart[] = [];
    for await (const part of stream) parts.push(part);
    return parts;
  };
  return within(run(), ms, 'the stream');
}

/** Reads the whole stream and returns what it threw, with the parts yielded before; fails if it did not throw. */
export async function collectFailure(
  stream: AsyncIterable<LlmStreamPart>,
  ms = 8_000,
): Promise<{ error: unknown; parts: LlmStreamPart[] }> {
  const parts: LlmStreamPart[] = [];
  const run = async () => {
    for await (const part of stream) parts.push(part);
  };
  try {
    await within(run(), ms, 'the stream');
  } catch (error) {
    if (error instanceof HangError) throw error;
    return { error, parts };
  }
  throw new Error(`the stream ended without an error after ${parts.length} parts`);
}

/** The concatenated text of the `text-delta` parts. */
export function textOf(parts: LlmStreamPart[]): string {
  return parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
}

/** A user message. */
export function user(content: string): LlmMessage {
  return { role: 'user', content };
}

/** The tool most tests offer. */
export const bashTool: LlmToolDefinition = {
  name: 'bash',
  description: 'Runs a shell command and returns its output.',
  inputSchema: {
    type: 'object',
    properties: { command: { type: 'string', description: 'The command line.' } },
    required: ['command'],
    additionalProperties: false,
  },
};
