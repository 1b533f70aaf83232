import { useState } from 'preact/hooks';
import { type ApiError, api, type Page, useApi } from '../api';
import { Badge, Card, Empty, ErrorState, Loading, PageHeader } from '../components/ui';
import { useGatewayEvents } from '../events';
import { ago, shortId } from '../format';
import type { Approval, Chat, User } from '../types';

export function ApprovalsView() {
  const pending = useApi<Page<Approval>>('/api/approvals?status=pending');
  const chats = useApi<Page<Chat>>('/api/chats?limit=200');
  const users = useApi<Page<User>>('/api/users?limit=200');
  const userName = (id: string | undefined) => {
    const user = users.data?.items.find((candidate) => candidate.id === id);
    return user ? (user.name ?? user.platformUserId) : shortId(id);
  };
  const [acting, setActing] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  useGatewayEvents(
    '',
    (event) => {
      if (event.type === 'approval.requested' || event.type === 'approval.resolved') pending.reload();
    },
    { onMissed: pending.reload },
  );
  const chatName = (id: string) =>
    chats.data?.items.find((chat) => chat.id === id || chat.platformChatId === id)?.name ?? shortId(id);
  const decide = async (approval: Approval, verdict: 'approve' | 'deny') => {
    setActing(approval.code);
    setFailure(undefined);
    try {
      await api(`/api/approvals/${encodeURIComponent(approval.code)}/${verdict}`, { method: 'POST' });
      pending.reload();
    } catch (error) {
      setFailure((error as ApiError).message);
    } finally {
      setActing(undefined);
    }
  };
  const items = (pending.data?.items ?? []).filter((approval) => approval.status === 'pending');
  return (
    <>
      <PageHeader title="Approvals" subtitle="Chats and senders waiting for you before an agent answers them." />
      {failure && (
        <div class="notice error" role="alert">
          {failure}
        </div>
      )}
      <Card>
        {pending.error ? (
          <ErrorState error={pending.error} what="Approvals" onRetry={pending.reload} />
        ) : !pending.data ? (
          <Loading />
        ) : items.length === 0 ? (
          <Empty title="Nothing waits for you">
            When a chat with the request-approval policy hears from someone new, they appear here (and you can also answer
            <code>/approve CODE</code> from chat).
          </Empty>
        ) : (
          <ul class="rows approvals">
            {items.map((approval) => (
              <li key={approval.id} data-code={approval.code}>
                <Badge value={approval.kind} tone="info" />
                <span>
                  {approval.kind === 'sender' ? (
                    <>
                      Sender <strong>{userName(approval.userId)}</strong> in <strong>{chatName(approval.chatId)}</strong>
                    </>
                  ) : (
                    <>
                      Chat <strong>{chatName(approval.chatId)}</strong>
                    </>
                  )}
                </span>
                <code class="code-chip">{approval.code}</code>
                <span class="muted small">{ago(approval.requestedAt)}</span>
                <span class="row-actions">
                  <button
                    class="button primary"
                    type="button"
                    disabled={acting !== undefined}
                    onClick={() => void decide(approval, 'approve')}
                  >
                    Approve
                  </button>
                  <button
                    class="button danger"
                    type="button"
                    disabled={acting !== undefined}
                    onClick={() => void decide(approval, 'deny')}
                  >
                    Deny
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
