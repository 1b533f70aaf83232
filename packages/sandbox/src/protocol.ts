import { errorMessage } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/**
 * Version of the sandbox protocol: JSON objects, one per line, on the sandbox program's stdin
 * (host → sandbox) and stdout (sandbox → host). Bump it on any change a peer could misread.
 */
export const SANDBOX_PROTOCOL_VERSION = 1;

/** Longest line either side accepts, in bytes; longer lines are refused, never buffered whole. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Error codes a sandbox answers with. */
export const sandboxErrorCodes = [
  'protocol',
  'unknown_tool',
  'invalid_input',
  'path_outside_workspace',
  'not_found',
  'tool_failed',
  'timeout',
  'cancelled',
  'out_of_memory',
] as const;

/** Why a request failed, as the sandbox reports it. */
export type SandboxErrorCode = (typeof sandboxErrorCodes)[number];

const requestId = v.pipe(v.string(), v.minLength(1), v.maxLength(128));

/** Host → sandbox: run `tool` with `input`. */
export const requestFrameSchema = v.strictObject({
  type: v.literal('request'),
  id: requestId,
  tool: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  input: v.unknown(),
  /** Kill the tool's processes and answer `timeout` after this long. */
  timeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(24 * 60 * 60 * 1000))),
  /** Send `progress` frames with live output while the call runs. */
  progress: v.optional(v.boolean()),
});

/** Host → sandbox: stop the request `id` (its answer is a `cancelled` error). */
export const cancelFrameSchema = v.strictObject({
  type: v.literal('cancel'),
  id: requestId,
});

/**
 * Host → sandbox: list the tools of the sandbox's MCP servers. Answered with a `response` whose
 * output is a `ToolList` (see `toolListSchema`), once every server has listed its tools or failed.
 */
export const listToolsFrameSchema = v.strictObject({
  type: v.literal('list-tools'),
  id: requestId,
});

/** Every frame the host may send. */
export const hostFrameSchema = v.variant('type', [requestFrameSchema, cancelFrameSchema, listToolsFrameSchema]);

/** Sandbox → host, first line after start: the sandbox is ready. */
export const helloFrameSchema = v.object({
  type: v.literal('hello'),
  protocol: v.number(),
  tools: v.array(v.string()),
  pid: v.number(),
  workspaceRoot: v.string(),
  workingDirectory: v.string(),
  /**
   * True when the program proved at start that the tools it runs cannot reach its stdio (and so
   * cannot forge answers); false when it was told it is not isolated. Absent from older programs.
   */
  outOfToolsReach: v.optional(v.boolean()),
});

const errorSchema = v.object({
  code: v.picklist(sandboxErrorCodes),
  message: v.string(),
});

/** Sandbox → host: the answer of one request. `id` is null when the request could not be read. */
export const responseFrameSchema = v.variant('ok', [
  v.object({ type: v.literal('response'), id: v.nullable(v.string()), ok: v.literal(true), output: v.unknown() }),
  v.object({ type: v.literal('response'), id: v.nullable(v.string()), ok: v.literal(false), error: errorSchema }),
]);

/** Sandbox → host: live output of a request that asked for progress. */
export const progressFrameSchema = v.object({
  type: v.literal('progress'),
  id: v.string(),
  stream: v.picklist(['stdout', 'stderr']),
  text: v.string(),
});

/** Every frame the sandbox may send. */
export const sandboxFrameSchema = v.variant('type', [helloFrameSchema, responseFrameSchema, progressFrameSchema]);

export type RequestFrame = v.InferOutput<typeof requestFrameSchema>;
export type CancelFrame = v.InferOutput<typeof cancelFrameSchema>;
export type ListToolsFrame = v.InferOutput<typeof listToolsFrameSchema>;
export type HostFrame = v.InferOutput<typeof hostFrameSchema>;
export type HelloFrame = v.InferOutput<typeof helloFrameSchema>;
export type ResponseFrame = v.InferOutput<typeof responseFrameSchema>;
export type ProgressFrame = v.InferOutput<typeof progressFrameSchema>;
export type SandboxFrame = v.InferOutput<typeof sandboxFrameSchema>;

/** Result of reading one line: the frame, or why it was refused (with the request id when one was readable). */
export type ParsedFrame<Frame> = { ok: true; frame: Frame } | { ok: false; id: string | null; message: string };

function parseLine<Frame>(schema: v.GenericSchema<unknown, Frame>, line: string): ParsedFrame<Frame> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, id: null, message: `not JSON: ${errorMessage(error)}` };
  }
  const result = v.safeParse(schema, value);
  if (result.success) return { ok: true, frame: result.output };
  const id =
    typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
      ? ((value as { id: string }).id.slice(0, 128) as string)
      : null;
  return { ok: false, id, message: describeIssues(result.issues) };
}

/** Reads one line the host sent. */
export function parseHostFrame(line: string): ParsedFrame<HostFrame> {
  return parseLine(hostFrameSchema, line);
}

/** Reads one line the sandbox sent. */
export function parseSandboxFrame(line: string): ParsedFrame<SandboxFrame> {
  return parseLine(sandboxFrameSchema, line);
}

/** Serializes a frame as one line, newline included. */
export function encodeFrame(frame: HostFrame | SandboxFrame): string {
  return `${JSON.stringify(frame)}\n`;
}

/** Joins valibot issues into one line: `key: message; other: message`. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = v.getDotPath(issue);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
