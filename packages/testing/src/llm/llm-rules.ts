import type { LlmMessage } from '@ngb/plugin-sdk';
import type { LlmRecordedRequest, LlmScriptReply } from '@ngb/plugin-sdk/testing';

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Strips XML tags and decodes the five XML entities (the core wraps chat messages in escaped XML). */
export function plainText(content: string): string {
  return content
    .replace(/<[^>]*>/g, '\n')
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => entities[name] ?? '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}

/** The command of the last `run: <command>` line in a message, if any. */
export function findRunCommand(content: string): string | undefined {
  const lines = plainText(content).split('\n');
  for (let index = lines.length - 1; index >= 0; index--) {
    const match = /(?:^|\s)run:\s*(\S.*)$/.exec(lines[index] ?? '');
    if (match?.[1] !== undefined) return match[1].trim();
  }
  return undefined;
}

function lastUserText(messages: LlmMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === 'user') {
      const lines = plainText(message.content)
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
      return lines.at(-1) ?? '';
    }
  }
  return '';
}

function commandOf(messages: LlmMessage[], toolCallId: string): string | undefined {
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    const call = message.toolCalls?.find((candidate) => candidate.id === toolCallId);
    if (call !== undefined) return typeof call.input.command === 'string' ? call.input.command : JSON.stringify(call.input);
  }
  return undefined;
}

/**
 * The reply of the rule-based model, used when the script is empty:
 * - a user message with a line `run: <command>` (and a `bash` tool offered) → a `bash` tool call `{ command }`;
 * - tool results last → a text quoting each result: "`<command>` printed:" (or "failed:") and the output;
 * - anything else → `echo: <the last line of the last user message>`.
 */
export function replyByRules(request: LlmRecordedRequest): LlmScriptReply {
  const { messages } = request;
  const trailingResults: Array<Extract<LlmMessage, { role: 'tool' }>> = [];
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role !== 'tool') break;
    trailingResults.unshift(message);
  }
  if (trailingResults.length > 0) {
    const text = trailingResults
      .map((result) => {
        const command = commandOf(messages, result.toolCallId) ?? result.toolCallId;
        return `\`${command}\` ${result.isError === true ? 'failed' : 'printed'}:\n${result.content}`;
      })
      .join('\n\n');
    return { type: 'reply', text };
  }
  const last = messages.at(-1);
  const command = last?.role === 'user' ? findRunCommand(last.content) : undefined;
  if (command !== undefined && request.tools.some((tool) => tool.name === 'bash')) {
    return { type: 'reply', toolCalls: [{ name: 'bash', input: { command } }] };
  }
  return { type: 'reply', text: `echo: ${lastUserText(messages)}` };
}
