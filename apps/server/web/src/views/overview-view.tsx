import { useState } from 'preact/hooks';
import { type Page, useApi } from '../api';
import { AreaChart, BarChart, perMinute, ShareBars } from '../components/charts';
import { Badge, Card, Empty, ErrorState, Link, Loading, PageHeader, Stat } from '../components/ui';
import { type GatewayEvent, useGatewayEvents } from '../events';
import { ago, clock, compact, dollars, shortId } from '../format';
import type { Agent, Budgets, ChannelItem, Chat, FailedDelivery, Sandbox, Session, Status, Usage } from '../types';
import { BudgetsCard } from './budgets-card';
import { ChannelLoginCard } from './channel-login-card';
import { describeEvent } from './event-text';
import { FailedDeliveriesCard, failedDeliveriesPath } from './failed-deliveries-card';

const minutes = 20;

function channelState(value: Status['channels'][string]): { state: string; detail?: string } {
  return typeof value === 'string' ? { state: value } : { state: value.state, detail: value.detail ?? value.error };
}

/** Turns per minute from the store's figures; tokens per minute from the turns seen since the page opened. */
function useActivity(usage: Usage | undefined, live: GatewayEvent[]) {
  const ends = live.filter((event) => event.type === 'turn.end' && event.status !== 'retrying');
  const turns = usage
    ? perMinute(
        usage.turnsPerMinute.map((point) => ({ at: point.minute, value: point.succeeded + point.failed })),
        minutes,
      )
    : perMinute(
        ends.map((event) => ({ at: event.at, value: 1 })),
        minutes,
      );
  const tokens = perMinute(
    ends.map((event) => {
      const used = event.usage as { inputTokens?: number; outputTokens?: number } | undefined;
      return { at: event.at, value: (used?.inputTokens ?? 0) + (used?.outputTokens ?? 0) };
    }),
    minutes,
  );
  return { turns, tokens, fromUsage: usage !== undefined };
}

export function OverviewView(props: { status: Status | undefined; reloadStatus: () => void }) {
  const [live, setLive] = useState<GatewayEvent[]>([]);
  const since = useState(() => Date.now() - 24 * 3_600_000)[0];
  const sessions = useApi<Page<Session>>('/api/sessions?status=active&limit=8');
  const sandboxes = useApi<Page<Sandbox>>('/api/sandboxes');
  const usage = useApi<Usage>(`/api/usage?since=${since}`);
  const chats = useApi<Page<Chat>>('/api/chats?limit=200');
  const agents = useApi<Page<Agent>>('/api/agents');
  const budgets = useApi<Budgets>('/api/budgets');
  const failedDeliveries = useApi<Page<FailedDelivery>>(failedDeliveriesPath);
  const { status } = props;
  const channels = Object.entries(status?.channels ?? {});
  // The channels' details are fetched only while one of them is connecting: it may wait for a login.
  const connecting = channels.some(([, value]) => channelState(value).state === 'connecting');
  const channelItems = useApi<Page<ChannelItem>>(connecting ? '/api/channels' : null);
  const connected = useGatewayEvents(
    '',
    (event) => {
      setLive((previous) => [...previous.slice(-499), event]);
      if (event.type === 'channel.status' || event.type.startsWith('turn.')) props.reloadStatus();
      if (event.type === 'channel.status') channelItems.reload();
      if (event.type === 'turn.start') sessions.reload();
      if ((event.type === 'delivery.failed' && event.permanent) || event.type === 'delivery.retried') failedDeliveries.reload();
      if (event.type === 'turn.end') {
        usage.reload();
        budgets.reload();
      }
    },
    {
      // Events it never got (the gateway restarted, or they left its buffer): everything is read again.
      onMissed: () => {
        props.reloadStatus();
        channelItems.reload();
        sessions.reload();
        failedDeliveries.reload();
        usage.reload();
        budgets.reload();
      },
    },
  );
  const activity = useActivity(usage.data, live);
  const spend = (usage.data?.agents ?? []).filter((agent) => agent.turns > 0);
  return (
    <>
      <PageHeader
        title="Overview"
        subtitle={connected ? 'Live: updates as the gateway works.' : 'Connecting to the live events…'}
      />
      {status && (status.claimed === false || status.claimCode !== undefined) && status.claimed !== true && (
        <Card class="claim">
          <h2>Claim this gateway</h2>
          {status.claimCode ? (
            <p>
              Send{' '}
              <code class="code-chip">
                /claim {typeof status.claimCode === 'string' ? status.claimCode : status.claimCode.code}
              </code>{' '}
              from any chat connected to this gateway (or from the <Link href="/talk">chat</Link>) to become its owner.
            </p>
          ) : (
            <p>
              Nobody owns this gateway yet. The claim code is printed by <code>ngb serve</code> and shown here on this machine.
            </p>
          )}
        </Card>
      )}
      {connecting && <ChannelLoginCard channels={channelItems.data?.items ?? []} />}
      <div class="stats">
        <Stat
          label="Channels"
          value={channels.length}
          hint={`${channels.filter(([, value]) => channelState(value).state === 'connected').length} connected`}
        />
        <Stat
          label="Turns running"
          value={status?.queue.running.length ?? '—'}
          hint={status?.queue.parked?.length ? `${status.queue.parked.length} more waiting on a person` : undefined}
        />
        <Stat label="Queue depth" value={status?.queue.waiting.length ?? '—'} hint="sessions waiting for a slot" />
        <Stat
          label="Sandboxes"
          value={sandboxes.data ? sandboxes.data.items.length : '—'}
          hint={
            sandboxes.error
              ? 'not reported'
              : `${sandboxes.data?.items.filter((sandbox) => sandbox.state === 'busy').length ?? 0} busy`
          }
        />
      </div>
      <div class="grid-2">
        <Card title="Channels">
          {!status ? (
            <Loading />
          ) : channels.length === 0 ? (
            <Empty title="No channel is connected">
              Add one under <code>channels</code> in ngb.config.json (Telegram, Slack, web chat…) and restart.
            </Empty>
          ) : (
            <ul class="channel-list">
              {channels.map(([name, value]) => {
                const { state, detail } = channelState(value);
                return (
                  <li key={name} data-channel={name}>
                    <span class={`dot tone-${state === 'connected' ? 'ok' : state === 'connecting' ? 'warn' : 'bad'}`} />
                    <span class="channel-name">{name}</span>
                    {detail && <span class="muted small">{detail}</span>}
                    <Badge value={state} />
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        <Card
          title="Activity"
          extra={
            <span class="muted small">
              {activity.fromUsage ? `turns: last ${minutes} min · tokens: since this page opened` : 'since this page opened'}
            </span>
          }
        >
          <div class="charts">
            <BarChart points={activity.turns} label="Turns per minute" />
            <AreaChart points={activity.tokens} label="Tokens per minute" format={compact} />
          </div>
        </Card>
      </div>
      <div class="grid-2">
        <Card title="Active sessions" extra={<Link href="/sessions">All sessions</Link>}>
          {sessions.error ? (
            <ErrorState error={sessions.error} what="Sessions" onRetry={sessions.reload} />
          ) : !sessions.data ? (
            <Loading />
          ) : sessions.data.items.length === 0 ? (
            <Empty title="No session yet">
              A session starts when someone messages an agent. Try the <Link href="/talk">chat</Link>.
            </Empty>
          ) : (
            <ul class="rows">
              {sessions.data.items.map((session) => (
                <li key={session.id}>
                  <Link href={`/sessions/${encodeURIComponent(session.id)}`} class="mono">
                    {shortId(session.id)}
                  </Link>
                  <span>
                    {agents.data?.items.find((agent) => agent.id === session.agentId)?.name ?? shortId(session.agentId)}
                  </span>
                  <span class="muted">
                    {session.chatId
                      ? (chats.data?.items.find((chat) => chat.id === session.chatId)?.name ?? shortId(session.chatId))
                      : 'no chat'}
                  </span>
                  {status?.queue.running.includes(session.id) ? <Badge value="running" /> : <Badge value={session.status} />}
                  <span class="muted small">{ago(session.lastActivityAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Token spend by agent" extra={<span class="muted small">last 24 h</span>}>
          {usage.error ? (
            <ErrorState error={usage.error} what="Usage figures" />
          ) : !usage.data ? (
            <Loading />
          ) : spend.length === 0 ? (
            <Empty title="Nothing spent yet">Tokens and cost per agent appear after the first turn.</Empty>
          ) : (
            <ShareBars
              rows={spend.map((agent) => ({
                label: agent.agentName,
                value: agent.inputTokens + agent.outputTokens,
                text: `${compact(agent.inputTokens + agent.outputTokens)} tokens · ${agent.unpricedTurns === agent.turns ? 'no price' : dollars(agent.costUsd)}`,
              }))}
            />
          )}
        </Card>
      </div>
      <BudgetsCard loaded={budgets} />
      <FailedDeliveriesCard loaded={failedDeliveries} />
      <Card title="Live events">
        {live.length === 0 ? (
          <Empty title="Quiet so far">Every message, turn, tool call and delivery shows up here as it happens.</Empty>
        ) : (
          <ol class="event-feed">
            {live
              .filter((event) => event.type !== 'text.delta')
              .slice(-12)
              .reverse()
              .map((event) => (
                <li key={`${event.at}-${event.seq}`}>
                  <span class="muted small mono">{clock(event.at)}</span>
                  <span class="event-type">{event.type}</span>
                  <span class="event-text">{describeEvent(event)}</span>
                </li>
              ))}
          </ol>
        )}
      </Card>
    </>
  );
}
