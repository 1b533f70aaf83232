import { useState } from 'preact/hooks';
import { type ApiError, api, type Page, useApi } from '../api';
import { Badge, Card, Empty, ErrorState, Loading, PageHeader } from '../components/ui';
import type { Chat, User } from '../types';

const policies: Array<{ value: Chat['unknownSenderPolicy']; label: string }> = [
  { value: 'strict', label: 'Strict: known senders only' },
  { value: 'request_approval', label: 'Ask me first' },
  { value: 'public', label: 'Public: anyone' },
];

function ChatsCard() {
  const chats = useApi<Page<Chat>>('/api/chats?limit=200');
  const [failure, setFailure] = useState<string | undefined>();
  const setPolicy = async (chat: Chat, policy: string) => {
    setFailure(undefined);
    try {
      await api(`/api/chats/${encodeURIComponent(chat.id)}`, { method: 'PATCH', body: { unknownSenderPolicy: policy } });
    } catch (error) {
      setFailure((error as ApiError).message);
    }
    chats.reload();
  };
  return (
    <Card title="Chats" extra={<span class="muted small">who may talk to the agents in each chat</span>}>
      {failure && (
        <p class="form-error" role="alert">
          {failure}
        </p>
      )}
      {chats.error ? (
        <ErrorState error={chats.error} what="Chats" onRetry={chats.reload} />
      ) : !chats.data ? (
        <Loading />
      ) : chats.data.items.length === 0 ? (
        <Empty title="No chat yet">A chat appears the first time a message arrives from it.</Empty>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th>Chat</th>
              <th>Channel</th>
              <th>Status</th>
              <th>Unknown senders</th>
            </tr>
          </thead>
          <tbody>
            {chats.data.items.map((chat) => (
              <tr key={chat.id} data-chat={chat.id}>
                <td>
                  {chat.name} {chat.isGroup && <span class="muted small">group</span>}
                </td>
                <td>{chat.channel}</td>
                <td>
                  <Badge value={chat.status} />
                </td>
                <td>
                  <select
                    aria-label={`Policy of ${chat.name}`}
                    value={chat.unknownSenderPolicy}
                    onChange={(event) => void setPolicy(chat, event.currentTarget.value)}
                  >
                    {policies.map((policy) => (
                      <option key={policy.value} value={policy.value}>
                        {policy.label}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function UsersCard() {
  const users = useApi<Page<User>>('/api/users?limit=200');
  const [failure, setFailure] = useState<string | undefined>();
  const change = async (user: User, method: 'POST' | 'DELETE', role: string, agentId?: string) => {
    setFailure(undefined);
    try {
      await api(`/api/users/${encodeURIComponent(user.id)}/roles`, { method, body: agentId ? { role, agentId } : { role } });
    } catch (error) {
      setFailure((error as ApiError).message);
    }
    users.reload();
  };
  return (
    <Card title="Users" extra={<span class="muted small">owners and admins may run admin commands</span>}>
      {failure && (
        <p class="form-error" role="alert">
          {failure}
        </p>
      )}
      {users.error ? (
        <ErrorState error={users.error} what="Users" onRetry={users.reload} />
      ) : !users.data ? (
        <Loading />
      ) : users.data.items.length === 0 ? (
        <Empty title="Nobody yet">
          The first person to send <code>/claim CODE</code> becomes the owner; grant roles here or with{' '}
          <code>ngb user grant</code>.
        </Empty>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th>User</th>
              <th>Channel</th>
              <th>Roles</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((user) => (
              <tr key={user.id} data-user={user.platformUserId}>
                <td>
                  {user.name ?? user.platformUserId} <span class="muted small mono">{user.platformUserId}</span>
                </td>
                <td>{user.channel}</td>
                <td>
                  {user.roles.length === 0 && (user.memberOf ?? []).length === 0 ? (
                    <span class="muted">no role</span>
                  ) : (
                    <span class="chips">
                      {user.roles.map((role) => (
                        <span
                          key={`${role.role}-${role.agentId ?? ''}`}
                          class={`chip tone-${role.role === 'owner' ? 'ok' : 'info'}`}
                        >
                          {role.agentId ? `${role.role} · ${role.agentId.slice(0, 6)}` : role.role}
                          <button
                            type="button"
                            aria-label={`Revoke ${role.role}`}
                            title="Revoke"
                            onClick={() => void change(user, 'DELETE', role.role, role.agentId)}
                          >
                            ×
                          </button>
                        </span>
                      ))}
                      {(user.memberOf ?? []).map((agentId) => (
                        <span key={agentId} class="chip tone-muted">
                          member · {agentId.slice(0, 6)}
                        </span>
                      ))}
                    </span>
                  )}
                </td>
                <td>
                  <select
                    aria-label={`Grant a role to ${user.name ?? user.platformUserId}`}
                    value=""
                    onChange={(event) => {
                      const role = event.currentTarget.value;
                      if (role) void change(user, 'POST', role);
                    }}
                  >
                    <option value="">Grant…</option>
                    <option value="admin">admin</option>
                    <option value="owner">owner</option>
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

export function PeopleView() {
  return (
    <>
      <PageHeader title="Users & chats" subtitle="Roles, and the policy for senders nobody has approved yet." />
      <UsersCard />
      <ChatsCard />
    </>
  );
}
