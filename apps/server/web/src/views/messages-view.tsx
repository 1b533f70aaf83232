import { useState } from 'preact/hooks';
import { type ApiError, api, type Page, query, useApi } from '../api';
import { Card, Empty, ErrorState, Loading, PageHeader } from '../components/ui';
import { shortId, when } from '../format';
import type { Chat, Message } from '../types';

interface Filters {
  q: string;
  chat: string;
  sender: string;
  from: string;
  to: string;
}

const blank: Filters = { q: '', chat: '', sender: '', from: '', to: '' };

function toMillis(date: string, endOfDay: boolean): number | undefined {
  if (date === '') return undefined;
  const at = new Date(`${date}T${endOfDay ? '23:59:59.999' : '00:00:00'}`).getTime();
  return Number.isNaN(at) ? undefined : at;
}

/** The text with every occurrence of the search words marked. */
function Highlight(props: { text: string; words: string }) {
  const terms = props.words
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}_-]/gu, ''))
    .filter((word) => word.length > 1);
  if (terms.length === 0) return <>{props.text}</>;
  const pattern = new RegExp(`(${terms.join('|')})`, 'giu');
  return <>{props.text.split(pattern).map((part, index) => (index % 2 === 1 ? <mark key={index}>{part}</mark> : part))}</>;
}

export function MessagesView() {
  const [filters, setFilters] = useState<Filters>(blank);
  const [result, setResult] = useState<{ items: Message[]; next?: string; asked: Filters } | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const chats = useApi<Page<Chat>>('/api/chats?limit=200');
  const chatName = (id: string) => chats.data?.items.find((chat) => chat.id === id)?.name ?? shortId(id);

  const run = async (asked: Filters, cursor?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const page = await api<Page<Message>>(
        `/api/messages${query({
          q: asked.q.trim(),
          chat: asked.chat,
          sender: asked.sender.trim(),
          from: toMillis(asked.from, false),
          to: toMillis(asked.to, true),
          cursor,
          limit: 50,
        })}`,
      );
      setResult((previous) => ({
        items: cursor && previous ? [...previous.items, ...page.items] : page.items,
        next: page.next,
        asked,
      }));
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const set = (key: keyof Filters) => (event: Event) =>
    setFilters({ ...filters, [key]: (event.currentTarget as HTMLInputElement).value });

  return (
    <>
      <PageHeader title="Messages" subtitle="Search everything the gateway received and sent." />
      <Card>
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            void run(filters);
          }}
        >
          <input
            class="grow"
            type="search"
            placeholder="Search words…"
            aria-label="Search words"
            value={filters.q}
            onInput={set('q')}
          />
          <select aria-label="Chat" value={filters.chat} onChange={set('chat')}>
            <option value="">All chats</option>
            {chats.data?.items.map((chat) => (
              <option key={chat.id} value={chat.id}>
                {chat.name} ({chat.channel})
              </option>
            ))}
          </select>
          <input type="text" placeholder="Sender id" aria-label="Sender" value={filters.sender} onInput={set('sender')} />
          <input type="date" aria-label="From" value={filters.from} onInput={set('from')} />
          <input type="date" aria-label="To" value={filters.to} onInput={set('to')} />
          <button class="button primary" type="submit" disabled={busy}>
            Search
          </button>
        </form>
      </Card>
      <Card>
        {error ? (
          <ErrorState error={error} what="Message search results" onRetry={() => void run(filters)} />
        ) : !result ? (
          busy ? (
            <Loading />
          ) : (
            <Empty title="Search the message history">
              Type a few words, or pick a chat, a sender or dates, and press Search.
            </Empty>
          )
        ) : result.items.length === 0 ? (
          <Empty title="No message matches">Try fewer words, or widen the dates.</Empty>
        ) : (
          <>
            <ul class="messages">
              {result.items.map((message) => (
                <li key={message.id} class={`message message-${message.direction}`}>
                  <div class="message-meta">
                    <strong>{message.senderName ?? message.senderId}</strong>
                    <span class="muted">in {chatName(message.chatId)}</span>
                    <span class="muted small">{when(message.timestamp)}</span>
                    {message.direction === 'outbound' && <span class="badge tone-info">sent</span>}
                  </div>
                  <p>
                    <Highlight text={message.text} words={result.asked.q} />
                  </p>
                </li>
              ))}
            </ul>
            {result.next && (
              <button class="button" type="button" disabled={busy} onClick={() => void run(result.asked, result.next)}>
                Load more
              </button>
            )}
          </>
        )}
      </Card>
    </>
  );
}
