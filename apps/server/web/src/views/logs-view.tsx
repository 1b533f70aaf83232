import { useEffect, useState } from 'preact/hooks';
import { type Page, query, useApi } from '../api';
import { Card, Empty, ErrorState, Loading, PageHeader } from '../components/ui';
import { clock, show } from '../format';
import type { LogEntry } from '../types';

const levels = ['debug', 'info', 'warn', 'error'];
const followEveryMs = 2000;

export function LogsView() {
  const [level, setLevel] = useState('info');
  const [follow, setFollow] = useState(true);
  const logs = useApi<Page<LogEntry>>(`/api/logs${query({ level, limit: 200 })}`);
  const { reload } = logs;
  useEffect(() => {
    if (!follow) return;
    // Logs are not on the event stream: while following, the newest page is read again.
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, followEveryMs);
    return () => clearInterval(timer);
  }, [follow, reload]);
  const items = logs.data?.items ?? [];
  return (
    <>
      <PageHeader title="Logs" subtitle="What the gateway wrote, newest first.">
        <fieldset class="segmented">
          <legend class="hidden-label">Level</legend>
          {levels.map((candidate) => (
            <button
              key={candidate}
              type="button"
              class={candidate === level ? 'selected' : ''}
              aria-pressed={candidate === level}
              onClick={() => setLevel(candidate)}
            >
              {candidate}
            </button>
          ))}
        </fieldset>
        <label class="toggle">
          <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.currentTarget.checked)} /> Follow
        </label>
      </PageHeader>
      <Card>
        {logs.error ? (
          <ErrorState error={logs.error} what="Logs" onRetry={logs.reload} />
        ) : !logs.data ? (
          <Loading />
        ) : items.length === 0 ? (
          <Empty title={`No ${level} entries`}>Pick a lower level to see more, or wait for the gateway to write something.</Empty>
        ) : (
          <ol class="logs">
            {items.map((entry, index) => {
              const { time, level, tag, msg, ...fields } = entry;
              return (
                <li key={`${time}-${index}`} class={`log log-${level}`} data-level={level}>
                  <span class="log-time mono" title={time}>
                    {clock(time)}
                  </span>
                  <span class={`log-level level-${level}`}>{level}</span>
                  {tag && <span class="log-tag">{tag}</span>}
                  <span class="log-message">{msg ?? ''}</span>
                  {Object.keys(fields).length > 0 && <code class="log-fields">{show(fields).replace(/\s+/g, ' ')}</code>}
                </li>
              );
            })}
          </ol>
        )}
      </Card>
    </>
  );
}
