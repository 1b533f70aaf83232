import { ToolCall } from '../components/tool-call';
import { show } from '../format';
import type { TranscriptEntry } from '../types';

interface Said {
  role: string;
  content?: unknown;
  toolCalls?: Array<{ id: string; name: string; input: unknown }>;
  toolCallId?: string;
  isError?: boolean;
}

function asSaid(entry: TranscriptEntry): Said {
  const content = entry.content;
  if (content && typeof content === 'object' && 'role' in content) return content as Said;
  return { role: entry.role, content };
}

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : show(part)))
      .join('\n');
  return show(content);
}

/** The messages of a prompt the gateway wrote (`<messages><message sender=… time=…>…`), or undefined for other text. */
function promptMessages(body: string): Array<{ sender: string; time: string; text: string }> | undefined {
  if (!body.trimStart().startsWith('<messages')) return undefined;
  const parsed = new DOMParser().parseFromString(body, 'text/xml');
  if (parsed.querySelector('parsererror')) return undefined;
  return [...parsed.querySelectorAll('message')].map((message) => ({
    sender: message.getAttribute('sender') ?? '',
    time: message.getAttribute('time') ?? '',
    text: message.textContent ?? '',
  }));
}

function Body(props: { text: string }) {
  const messages = promptMessages(props.text);
  if (!messages) return <p>{props.text}</p>;
  return (
    <>
      {messages.map((message, index) => (
        <p key={index}>
          <span class="said-sender">{message.sender}</span>
          {message.time && <span class="muted small"> · {message.time}</span>}
          <br />
          {message.text}
        </p>
      ))}
    </>
  );
}

/** A stored conversation: what the user said, what the agent answered, and its tool calls with their results. */
export function Transcript(props: { entries: TranscriptEntry[] }) {
  const said = props.entries.map(asSaid);
  const results = new Map(said.filter((item) => item.role === 'tool' && item.toolCallId).map((item) => [item.toolCallId!, item]));
  return (
    <div class="transcript">
      {said.map((item, index) => {
        if (item.role === 'tool') return null;
        const body = text(item.content);
        return (
          <div key={props.entries[index]?.id ?? index} class={`said said-${item.role}`}>
            <span class="said-role">{item.role === 'user' ? 'User' : 'Agent'}</span>
            {body.trim() !== '' && <Body text={body} />}
            {item.toolCalls?.map((call) => {
              const result = results.get(call.id);
              return (
                <ToolCall
                  key={call.id}
                  call={{
                    callId: call.id,
                    name: call.name,
                    input: call.input,
                    done: true,
                    output: result ? text(result.content) : undefined,
                    isError: result?.isError,
                  }}
                />
              );
            })}
          </div>
        );
      })}
    </div>
  );
}
