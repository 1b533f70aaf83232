import type { TranscriptEntry } from '@ngb/plugin-sdk';
import { colors } from '../colors';
import { oneLine } from './format';
import { summarizeToolInput } from './turn-renderer';

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => entities[name] ?? '');
}

/** The chat text inside the core's `<messages>` XML, one line per message; other text as it is. */
function userText(content: string): string {
  const messages = [...content.matchAll(/<message\b[^>]*>([\s\S]*?)<\/message>/g)].map((match) => unescapeXml(match[1] ?? ''));
  return messages.length > 0 ? messages.join('\n') : content;
}

interface TranscriptMessage {
  role?: string;
  content?: unknown;
  toolCalls?: Array<{ name: string; input: unknown }>;
  isError?: boolean;
}

/** A transcript as readable lines: `you:`, the agent's answers, tool calls and their results. */
export function describeTranscript(entries: readonly TranscriptEntry[], agentName: string, width = 200): string[] {
  const lines: string[] = [];
  for (const entry of entries) {
    const message = (entry.content ?? {}) as TranscriptMessage;
    const text = typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? '');
    if (entry.role === 'user') lines.push(`${colors.bold('you:')} ${oneLine(userText(text), width)}`);
    else if (entry.role === 'assistant') {
      if (text.trim() !== '') lines.push(`${colors.bold(`${agentName}:`)} ${oneLine(text, width)}`);
      for (const call of message.toolCalls ?? [])
        lines.push(colors.cyan(`  ⚙ ${call.name}`) + colors.dim(`  ${summarizeToolInput(call.input)}`));
    } else lines.push(colors.dim(`  ${message.isError ? '✗' : '→'} ${oneLine(text, Math.min(width, 120))}`));
  }
  return lines;
}
