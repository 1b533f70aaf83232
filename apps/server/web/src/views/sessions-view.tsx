import { type Page, useApi } from '../api';
import { Badge, Card, Empty, ErrorState, Link, Loading, PageHeader } from '../components/ui';
import { ago, shortId, when } from '../format';
import { useLocation } from '../router';
import type { Agent, Session } from '../types';

export function SessionsView() {
  const { search } = useLocation();
  const status = search.get('status') ?? '';
  const sessions = useApi<Page<Session>>(`/api/sessions${status ? `?status=${status}` : ''}`);
  const agents = useApi<Page<Agent>>('/api/agents');
  const agentName = (id: string) => agents.data?.items.find((agent) => agent.id === id)?.name ?? shortId(id);
  return (
    <>
      <PageHeader title="Sessions" subtitle="One conversation of an agent with a chat. Open one to watch its turns live." />
      <Card>
        {sessions.error ? (
          <ErrorState error={sessions.error} what="Sessions" onRetry={sessions.reload} />
        ) : !sessions.data ? (
          <Loading />
        ) : sessions.data.items.length === 0 ? (
          <Empty title="No session yet">
            Sessions appear when someone messages an agent — send one from the <Link href="/talk">chat</Link>.
          </Empty>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th>Session</th>
                <th>Agent</th>
                <th>Chat</th>
                <th>Status</th>
                <th>Last activity</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.items.map((session) => (
                <tr key={session.id}>
                  <td>
                    <Link href={`/sessions/${encodeURIComponent(session.id)}`} class="mono">
                      {shortId(session.id)}
                    </Link>
                  </td>
                  <td>{agentName(session.agentId)}</td>
                  <td class="mono muted">{session.chatId ? shortId(session.chatId) : '—'}</td>
                  <td>
                    <Badge value={session.status} />
                  </td>
                  <td>{ago(session.lastActivityAt)}</td>
                  <td class="muted">{when(session.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
