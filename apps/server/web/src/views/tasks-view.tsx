import { useState } from 'preact/hooks';
import { type ApiError, api, type Page, useApi } from '../api';
import { Badge, Card, Empty, ErrorState, Loading, PageHeader } from '../components/ui';
import { ago, when } from '../format';
import type { Agent, Chat, Task, TaskRun } from '../types';

const hints: Record<Task['scheduleType'], string> = {
  cron: 'e.g. 0 8 * * *  (every day at 8:00)',
  interval: 'e.g. 30m, 2h or 1d',
  once: 'a date and time, e.g. 2026-12-24T18:00',
};

function Runs(props: { taskId: string }) {
  const runs = useApi<Page<TaskRun>>(`/api/tasks/${encodeURIComponent(props.taskId)}/runs`);
  if (runs.error) return <ErrorState error={runs.error} what="Task runs" />;
  if (!runs.data) return <Loading />;
  if (runs.data.items.length === 0) return <p class="muted small">Not run yet.</p>;
  return (
    <ul class="rows compact">
      {runs.data.items.map((run) => (
        <li key={run.id}>
          <Badge value={run.status} />
          <span class="small">{when(run.startedAt)}</span>
          <span class="small muted clip">{run.error ?? run.result ?? ''}</span>
        </li>
      ))}
    </ul>
  );
}

function CreateTask(props: { agents: Agent[]; chats: Chat[]; onCreated: () => void }) {
  const [agentId, setAgentId] = useState('');
  const [chatId, setChatId] = useState('');
  const [prompt, setPrompt] = useState('');
  const [scheduleType, setScheduleType] = useState<Task['scheduleType']>('cron');
  const [scheduleValue, setScheduleValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const chosenAgent = agentId || props.agents.find((agent) => agent.isMain)?.id || props.agents[0]?.id || '';
  const chosenChat = chatId || props.chats[0]?.id || '';
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const value =
        scheduleType === 'once' && scheduleValue !== '' ? new Date(scheduleValue).toISOString() : scheduleValue.trim();
      await api('/api/tasks', {
        method: 'POST',
        body: {
          agentId: chosenAgent,
          chatId: chosenChat,
          prompt: prompt.trim(),
          scheduleType,
          scheduleValue: value,
          ...(scheduleType === 'interval' ? {} : { timezone: Intl.DateTimeFormat().resolvedOptions().timeZone }),
          contextMode: 'isolated',
        },
      });
      setPrompt('');
      setScheduleValue('');
      props.onCreated();
    } catch (caught) {
      setError((caught as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="task-form" onSubmit={submit}>
      <label>
        Agent
        <select value={chosenAgent} onChange={(event) => setAgentId(event.currentTarget.value)} required>
          {props.agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Send results to
        <select value={chosenChat} onChange={(event) => setChatId(event.currentTarget.value)} required>
          {props.chats.map((chat) => (
            <option key={chat.id} value={chat.id}>
              {chat.name} ({chat.channel})
            </option>
          ))}
        </select>
      </label>
      <label>
        Schedule
        <select value={scheduleType} onChange={(event) => setScheduleType(event.currentTarget.value as Task['scheduleType'])}>
          <option value="cron">Cron</option>
          <option value="interval">Interval</option>
          <option value="once">Once</option>
        </select>
      </label>
      <label>
        When
        <input
          type={scheduleType === 'once' ? 'datetime-local' : 'text'}
          required
          placeholder={hints[scheduleType]}
          value={scheduleValue}
          onInput={(event) => setScheduleValue(event.currentTarget.value)}
        />
      </label>
      <label class="wide">
        Prompt
        <textarea
          rows={2}
          required
          placeholder="Send me a summary of the weather in Berlin"
          value={prompt}
          onInput={(event) => setPrompt(event.currentTarget.value)}
        />
      </label>
      <button class="button primary" type="submit" disabled={busy || chosenAgent === '' || chosenChat === ''}>
        Create task
      </button>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export function TasksView() {
  const tasks = useApi<Page<Task>>('/api/tasks');
  const agents = useApi<Page<Agent>>('/api/agents');
  const chats = useApi<Page<Chat>>('/api/chats?limit=200');
  const [open, setOpen] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const act = async (task: Task, action: 'pause' | 'resume' | 'cancel') => {
    setFailure(undefined);
    try {
      await api(`/api/tasks/${encodeURIComponent(task.id)}/${action}`, { method: 'POST' });
      tasks.reload();
    } catch (error) {
      setFailure((error as ApiError).message);
    }
  };
  const agentName = (id: string) => agents.data?.items.find((agent) => agent.id === id)?.name ?? id.slice(0, 8);
  return (
    <>
      <PageHeader title="Tasks" subtitle="Prompts an agent runs on a schedule: every morning, every hour, or once." />
      <Card title="New task">
        {agents.error || chats.error ? (
          <ErrorState error={(agents.error ?? chats.error)!} what={agents.error ? 'Agents' : 'Chats'} />
        ) : !agents.data || !chats.data ? (
          <Loading />
        ) : chats.data.items.length === 0 ? (
          <Empty title="No chat to send results to yet">A task reports to a chat: message the agent from one first.</Empty>
        ) : (
          <CreateTask agents={agents.data.items} chats={chats.data.items} onCreated={tasks.reload} />
        )}
      </Card>
      {failure && (
        <div class="notice error" role="alert">
          {failure}
        </div>
      )}
      <Card title="Scheduled">
        {tasks.error ? (
          <ErrorState error={tasks.error} what="Tasks" onRetry={tasks.reload} />
        ) : !tasks.data ? (
          <Loading />
        ) : tasks.data.items.length === 0 ? (
          <Empty title="No task yet">Create one above, or ask an agent in chat: “every morning at 8 send me the weather”.</Empty>
        ) : (
          <ul class="tasks">
            {tasks.data.items.map((task) => (
              <li key={task.id} class="task" data-task={task.id}>
                <div class="task-line">
                  <Badge value={task.status} />
                  <span class="task-prompt">{task.prompt}</span>
                  <code class="code-chip">
                    {task.scheduleType} {task.scheduleValue}
                  </code>
                  <span class="muted small">{agentName(task.agentId)}</span>
                  <span class="muted small">
                    {task.status === 'active' && task.nextRunAt ? `next ${ago(task.nextRunAt)}` : ''}
                  </span>
                  <span class="row-actions">
                    {task.status === 'active' && (
                      <button class="button" type="button" onClick={() => void act(task, 'pause')}>
                        Pause
                      </button>
                    )}
                    {task.status === 'paused' && (
                      <button class="button" type="button" onClick={() => void act(task, 'resume')}>
                        Resume
                      </button>
                    )}
                    {(task.status === 'active' || task.status === 'paused') && (
                      <button class="button danger" type="button" onClick={() => void act(task, 'cancel')}>
                        Cancel
                      </button>
                    )}
                    <button class="button ghost" type="button" onClick={() => setOpen(open === task.id ? undefined : task.id)}>
                      {open === task.id ? 'Hide runs' : 'Runs'}
                    </button>
                  </span>
                </div>
                {open === task.id && <Runs taskId={task.id} />}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
