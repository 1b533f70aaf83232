import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, api } from '../api';
import { type GatewayEvent, useGatewayEvents } from '../events';
import type { ToolCallView } from '../types';
import { ToolCall } from './tool-call';

interface ChatChoice {
  id: string;
  label: string;
}

interface ChatMessage {
  id: string;
  from: 'visitor' | 'agent';
  text: string;
  at: number;
  /** Buttons under an agent's message (a question it asks). */
  choices?: ChatChoice[];
  /** The choice that answered it: the buttons are then disabled. */
  chosen?: string;
}

function choicesOf(value: unknown): ChatChoice[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const choices = value
    .filter((item): item is { id: unknown; label: unknown } => typeof item === 'object' && item !== null)
    .map((item) => ({ id: String(item.id), label: String(item.label) }));
  return choices.length > 0 ? choices : undefined;
}

/** The buttons under a question of the agent; pressed once, they are all disabled. */
function Choices(props: { message: ChatMessage; onChoose(choice: ChatChoice): Promise<void> }) {
  const [pressing, setPressing] = useState<string | undefined>();
  const answered = props.message.chosen !== undefined;
  return (
    <fieldset class="choices" aria-label="Choices" data-for={props.message.id}>
      {(props.message.choices ?? []).map((choice) => (
        <button
          key={choice.id}
          type="button"
          class={`button choice${props.message.chosen === choice.id ? ' chosen' : ''}`}
          aria-pressed={props.message.chosen === choice.id}
          disabled={answered || pressing !== undefined}
          onClick={() => {
            setPressing(choice.id);
            void props.onChoose(choice).finally(() => setPressing(undefined));
          }}
        >
          {choice.label}
        </button>
      ))}
    </fieldset>
  );
}

interface History {
  assistant?: { name?: string };
  messages?: ChatMessage[];
}

type Item = { kind: 'message'; at: number; message: ChatMessage } | { kind: 'tool'; at: number; call: ToolCallView };

function parse(data: string): Record<string, unknown> {
  try {
    return JSON.parse(data) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Follows the tool calls of the sessions this chat's own messages were routed to. */
function useOwnToolCalls(enabled: boolean, speaker: string) {
  const [tools, setTools] = useState<Array<{ at: number; call: ToolCallView }>>([]);
  const mine = useRef({ messages: new Set<string>(), sessions: new Set<string>() });
  useGatewayEvents(
    '',
    (event: GatewayEvent) => {
      const own = mine.current;
      if (event.type === 'message.received' && event.senderId === speaker) own.messages.add(String(event.messageId));
      else if (event.type === 'message.routed' && own.messages.has(String(event.messageId)))
        own.sessions.add(String(event.sessionId));
      else if (event.type === 'tool.start' && own.sessions.has(String(event.sessionId)))
        setTools((previous) => [
          ...previous,
          { at: event.at, call: { callId: String(event.callId), name: String(event.name), input: event.input, done: false } },
        ]);
      else if (event.type === 'tool.end' && own.sessions.has(String(event.sessionId)))
        setTools((previous) =>
          previous.map((item) =>
            item.call.callId === event.callId
              ? {
                  ...item,
                  call: {
                    ...item.call,
                    done: true,
                    output: String(event.output ?? ''),
                    isError: Boolean(event.isError),
                    durationMs: Number(event.durationMs),
                  },
                }
              : item,
          ),
        );
    },
    { enabled },
  );
  return tools;
}

/**
 * A web chat conversation: the history, replies streamed in place (`edit` events), a typing
 * indicator, and, for the owner's chat, the agent's tool calls inline.
 */
export function ChatPanel(props: { base: string; showTools: boolean; speaker?: string; placeholder?: string }) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [assistant, setAssistant] = useState('the agent');
  const [typingAt, setTypingAt] = useState<number | undefined>();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [state, setState] = useState<'loading' | 'ready' | 'unavailable'>('loading');
  const list = useRef<HTMLDivElement>(null);
  const tools = useOwnToolCalls(props.showTools, props.speaker ?? 'dashboard');

  useEffect(() => {
    let source: EventSource | undefined;
    let stopped = false;
    const load = async () => {
      try {
        const history = await api<History>(`${props.base}/history`);
        if (stopped) return;
        setMessages(history.messages ?? []);
        if (history.assistant?.name) setAssistant(history.assistant.name);
        setState('ready');
      } catch (caught) {
        if (!stopped) setState((caught as ApiError).status === 404 ? 'unavailable' : 'ready');
        if ((caught as ApiError).status === 404) return false;
      }
      return true;
    };
    void load().then((available) => {
      if (stopped || !available) return;
      source = new EventSource(`${props.base}/events`);
      source.addEventListener('message', (event) => {
        const data = parse((event as MessageEvent).data);
        const message: ChatMessage = {
          id: String(data.id),
          from: 'agent',
          text: String(data.text ?? ''),
          at: Number(data.at ?? Date.now()),
          choices: choicesOf(data.choices),
        };
        setTypingAt(undefined);
        setMessages((previous) => (previous.some((item) => item.id === message.id) ? previous : [...previous, message]));
      });
      source.addEventListener('edit', (event) => {
        const data = parse((event as MessageEvent).data);
        setMessages((previous) =>
          previous.map((item) => (item.id === data.id ? { ...item, text: String(data.text ?? '') } : item)),
        );
      });
      source.addEventListener('delete', (event) => {
        const data = parse((event as MessageEvent).data);
        setMessages((previous) => previous.filter((item) => item.id !== data.id));
      });
      source.addEventListener('answered', (event) => {
        const data = parse((event as MessageEvent).data);
        setMessages((previous) =>
          previous.map((item) => (item.id === data.id ? { ...item, chosen: String(data.choice) } : item)),
        );
      });
      source.addEventListener('typing', () => setTypingAt(Date.now()));
      source.addEventListener('reset', () => void load());
    });
    return () => {
      stopped = true;
      source?.close();
    };
  }, [props.base]);

  useEffect(() => {
    if (typingAt === undefined) return;
    const timer = setTimeout(() => setTypingAt(undefined), 8000);
    return () => clearTimeout(timer);
  }, [typingAt]);

  const items: Item[] = [
    ...messages.map((message): Item => ({ kind: 'message', at: message.at, message })),
    ...tools.map((tool): Item => ({ kind: 'tool', at: tool.at, call: tool.call })),
  ].sort((left, right) => left.at - right.at);

  useEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [items.length, messages.at(-1)?.text, typingAt]);

  const send = async (event: Event) => {
    event.preventDefault();
    const text = draft.trim();
    if (text === '') return;
    setError(undefined);
    try {
      const sent = await api<{ id: string; at?: number }>(`${props.base}/messages`, { method: 'POST', body: { text } });
      setMessages((previous) => [...previous, { id: sent.id, from: 'visitor', text, at: sent.at ?? Date.now() }]);
      setDraft('');
    } catch (caught) {
      setError((caught as ApiError).message);
    }
  };

  const choose = async (message: ChatMessage, choice: ChatChoice) => {
    setError(undefined);
    try {
      await api(`${props.base}/choices`, { method: 'POST', body: { messageId: message.id, choiceId: choice.id } });
      setMessages((previous) => previous.map((item) => (item.id === message.id ? { ...item, chosen: choice.id } : item)));
    } catch (caught) {
      setError((caught as ApiError).message);
    }
  };

  if (state === 'unavailable')
    return (
      <div class="empty">
        <strong>The web chat is not enabled on this gateway</strong>
        <p>
          Add the <code>web</code> channel to <code>channels</code> in ngb.config.json and restart <code>ngb serve</code>.
        </p>
      </div>
    );
  return (
    <div class="chat">
      <div class="chat-log" ref={list} aria-live="polite">
        {state === 'ready' && items.length === 0 && (
          <div class="chat-hello">
            <strong>Say hello to {assistant}</strong>
            <p>Ask a question or give it a job. Replies stream in as they are written.</p>
          </div>
        )}
        {items.map((item) =>
          item.kind === 'message' ? (
            <Fragment key={item.message.id}>
              <div class={`bubble ${item.message.from === 'visitor' ? 'mine' : 'theirs'}`} data-from={item.message.from}>
                {item.message.text}
              </div>
              {item.message.choices && <Choices message={item.message} onChoose={(choice) => choose(item.message, choice)} />}
            </Fragment>
          ) : (
            <div key={item.call.callId} class="chat-tool">
              <ToolCall call={item.call} />
            </div>
          ),
        )}
        {typingAt !== undefined && (
          <div class="bubble theirs typing" role="status" aria-label={`${assistant} is typing`}>
            <span />
            <span />
            <span />
          </div>
        )}
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <form class="composer" onSubmit={send}>
        <textarea
          rows={1}
          aria-label="Message"
          placeholder={props.placeholder ?? `Message ${assistant}…`}
          value={draft}
          onInput={(event) => setDraft(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) void send(event);
          }}
        />
        <button class="button primary" type="submit" disabled={draft.trim() === ''}>
          Send
        </button>
      </form>
    </div>
  );
}
