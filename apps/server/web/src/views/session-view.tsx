import { useState } from 'preact/hooks';
import { type Page, useApi } from '../api';
import { ToolCall } from '../components/tool-call';
import { Badge, Card, Empty, ErrorState, Link, Loading, PageHeader } from '../components/ui';
import { useGatewayEvents } from '../events';
import { ago, clock, compact, dollars, duration, shortId, when } from '../format';
import { applyTurnEvent, type LiveTurn } from '../live-turns';
import type { Agent, Chat, EgressRequest, Session, TranscriptEntry, Turn } from '../types';
import { EgressRequests } from './egress-requests';
import { Transcript } from './transcript';

function LiveTurnView(props: { turn: LiveTurn }) {
  const { turn } = props;
  return (
    <article class={`turn turn-${turn.status}`} data-turn={turn.turnId}>
      <header>
        <Badge value={turn.status} />
        <span class="muted small">
          {clock(turn.startedAt)}
          {turn.attempt > 1 && ` · attempt ${turn.attempt}`}
          {turn.durationMs !== undefined && !Number.isNaN(turn.durationMs) && ` · ${duration(turn.durationMs)}`}
          {turn.tokens ? ` · ${compact(turn.tokens)} tokens` : ''}
        </span>
      </header>
      {turn.blocks.length === 0 && turn.status === 'running' && <p class="muted thinking">Thinking…</p>}
      {turn.blocks.map((block, index) =>
        block.kind === 'text' ? (
          <p key={index} class="turn-text">
            {block.text}
            {turn.status === 'running' && index === turn.blocks.length - 1 && <span class="caret" />}
          </p>
        ) : (
          <ToolCall key={block.call.callId} call={block.call} />
        ),
      )}
      {turn.error && <p class="turn-error">{turn.error}</p>}
    </article>
  );
}

export function SessionView(props: { id: string }) {
  const path = `/api/sessions/${encodeURIComponent(props.id)}`;
  const session = useApi<Session>(path);
  const transcript = useApi<Page<TranscriptEntry>>(`${path}/transcript?limit=200`);
  const turns = useApi<Page<Turn>>(`${path}/turns?limit=200`);
  const egress = useApi<Page<EgressRequest>>(`${path}/egress?limit=200`);
  const agent = useApi<Agent>(session.data ? `/api/agents/${encodeURIComponent(session.data.agentId)}` : null);
  const chat = useApi<Chat>(session.data?.chatId ? `/api/chats/${encodeURIComponent(session.data.chatId)}` : null);
  const [live, setLive] = useState<LiveTurn[]>([]);
  // From the start of the gateway's buffer: a turn already running when the page opens shows whole.
  const connected = useGatewayEvents(
    `?session=${encodeURIComponent(props.id)}&after=0`,
    (event) => {
      setLive((previous) => applyTurnEvent(previous, event));
      if (event.type === 'turn.end') turns.reload();
      // Published once stored, so a list still loading holds it already; a loaded list lacking it is read again.
      if (event.type === 'egress.request' && egress.data && !egress.data.items.some((request) => request.id === event.id)) {
        egress.reload();
      }
    },
    {
      // What the missed events would have shown is in the store by now.
      onMissed: () => {
        transcript.reload();
        turns.reload();
        egress.reload();
      },
    },
  );
  const detail = session.data;
  // Turns the stored transcript already holds are shown there, not twice.
  const stored = new Set((transcript.data?.items ?? []).map((entry) => entry.turnId));
  const fresh = transcript.data || transcript.error ? live.filter((turn) => !stored.has(turn.turnId)) : [];
  return (
    <>
      <PageHeader
        title={`Session ${shortId(props.id)}`}
        subtitle={
          <>
            <Link href="/sessions">Sessions</Link> / <span class="mono">{props.id}</span>
          </>
        }
      >
        <span class={`live-pill ${connected ? 'on' : ''}`}>{connected ? 'Live' : 'Connecting…'}</span>
      </PageHeader>
      <div class="session-layout">
        <div class="session-main">
          <Card title="Conversation">
            {transcript.error ? (
              <ErrorState error={transcript.error} what="Transcripts" onRetry={transcript.reload} />
            ) : !transcript.data ? (
              <Loading />
            ) : transcript.data.items.length === 0 && fresh.length === 0 ? (
              <Empty title="Nothing said yet">The next turn of this session streams here as the agent writes.</Empty>
            ) : (
              <Transcript entries={transcript.data.items} />
            )}
          </Card>
          <Card title="Live" extra={<span class="muted small">text and tool calls as they happen</span>}>
            {fresh.length === 0 ? (
              <Empty title="Waiting for the next turn">Send this session a message; its turn appears here as it runs.</Empty>
            ) : (
              <div class="live-turns">
                {fresh.map((turn) => (
                  <LiveTurnView key={turn.turnId} turn={turn} />
                ))}
              </div>
            )}
          </Card>
        </div>
        <aside class="session-side">
          <Card title="Details">
            {session.error ? (
              <ErrorState error={session.error} what="Session details" />
            ) : !detail ? (
              <Loading />
            ) : (
              <dl class="facts">
                <dt>Status</dt>
                <dd>
                  <Badge value={detail.status} />
                </dd>
                <dt>Agent</dt>
                <dd>{agent.data?.name ?? <span class="mono">{shortId(detail.agentId)}</span>}</dd>
                <dt>Chat</dt>
                <dd>
                  {chat.data ? (
                    `${chat.data.name} (${chat.data.channel})`
                  ) : (
                    <span class="mono">{detail.chatId ? shortId(detail.chatId) : '—'}</span>
                  )}
                </dd>
                {detail.threadId && (
                  <>
                    <dt>Thread</dt>
                    <dd class="mono">{detail.threadId}</dd>
                  </>
                )}
                <dt>Started</dt>
                <dd>{when(detail.createdAt)}</dd>
                <dt>Last activity</dt>
                <dd>{ago(detail.lastActivityAt)}</dd>
              </dl>
            )}
          </Card>
          <Card title="Turns">
            {turns.error ? (
              <ErrorState error={turns.error} what="Turns" />
            ) : !turns.data ? (
              <Loading />
            ) : turns.data.items.length === 0 ? (
              <Empty title="No turn yet" />
            ) : (
              <ul class="rows compact">
                {[...turns.data.items]
                  .reverse()
                  .slice(0, 20)
                  .map((turn) => (
                    <li key={turn.id}>
                      <Badge value={turn.status} />
                      <span class="muted small">{ago(turn.startedAt ?? turn.createdAt)}</span>
                      <span class="small">{compact((turn.inputTokens ?? 0) + (turn.outputTokens ?? 0))} tok</span>
                      <span class="small muted">{dollars(turn.costUsd)}</span>
                    </li>
                  ))}
              </ul>
            )}
          </Card>
          <Card title="Network" extra={<span class="muted small">through the egress proxy</span>}>
            <EgressRequests requests={egress} />
          </Card>
        </aside>
      </div>
    </>
  );
}
