import { errorMessage } from '@ngb/plugin-sdk';
import type { LlmScriptStep } from '@ngb/plugin-sdk/testing';
import * as v from 'valibot';

const delay = v.optional(v.pipe(v.number(), v.minValue(0)));
const stopReason = v.optional(v.picklist(['end', 'tool-calls', 'max-tokens', 'stop-sequence', 'other']));

const replySchema = v.strictObject({
  type: v.literal('reply'),
  text: v.optional(v.union([v.string(), v.array(v.string())])),
  toolCalls: v.optional(
    v.array(
      v.strictObject({
        id: v.optional(v.string()),
        name: v.pipe(v.string(), v.minLength(1)),
        input: v.record(v.string(), v.unknown()),
        inputJson: v.optional(v.string()),
      }),
    ),
  ),
  stopReason,
  usage: v.optional(
    v.strictObject({
      inputTokens: v.number(),
      outputTokens: v.number(),
      cacheReadTokens: v.optional(v.number()),
      cacheWriteTokens: v.optional(v.number()),
    }),
  ),
  firstByteDelayMs: delay,
  chunkDelayMs: delay,
  fault: v.optional(
    v.strictObject({
      kind: v.picklist(['cut', 'truncate', 'malformed', 'stall']),
      afterDeltas: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    }),
  ),
});

const errorSchema = v.strictObject({
  type: v.literal('error'),
  status: v.pipe(v.number(), v.integer(), v.minValue(400), v.maxValue(599)),
  message: v.optional(v.string()),
  retryAfterMs: delay,
  headers: v.optional(v.record(v.string(), v.string())),
  firstByteDelayMs: delay,
});

const stepsSchema = v.array(v.variant('type', [replySchema, errorSchema]));
const fileSchema = v.strictObject({ steps: stepsSchema });

/**
 * Reads a script file: a JSON array of steps, or `{ "steps": [...] }`.
 * @throws Error naming the file and the path of the first invalid value
 */
export function parseLlmScript(text: string, fileName: string): LlmScriptStep[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName} is not valid JSON: ${errorMessage(error)}`);
  }
  const result = v.safeParse(fileSchema, Array.isArray(json) ? { steps: json } : json);
  if (!result.success) {
    const issue = result.issues[0];
    const path = v.getDotPath(issue);
    throw new Error(`${fileName}${path === null ? '' : ` at ${path}`}: ${issue.message}`);
  }
  return result.output.steps;
}
