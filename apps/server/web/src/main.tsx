import { render } from 'preact';
import { prefetch, useApi } from './api';
import { Shell } from './components/layout';
import { Empty, Link, PageHeader } from './components/ui';
import { useGatewayEvents } from './events';
import './styles.css';
import { useLocation } from './router';
import type { Status } from './types';
import { AgentsView } from './views/agents-view';
import { ApprovalsView } from './views/approvals-view';
import { LogsView } from './views/logs-view';
import { MessagesView } from './views/messages-view';
import { OverviewView } from './views/overview-view';
import { PeopleView } from './views/people-view';
import { SessionView } from './views/session-view';
import { SessionsView } from './views/sessions-view';
import { TalkView } from './views/talk-view';
import { TasksView } from './views/tasks-view';

function Page(props: { path: string; status: Status | undefined; reloadStatus: () => void }) {
  const { path } = props;
  if (path === '/') return <OverviewView status={props.status} reloadStatus={props.reloadStatus} />;
  if (path === '/sessions') return <SessionsView />;
  if (path.startsWith('/sessions/')) return <SessionView id={decodeURIComponent(path.slice('/sessions/'.length))} />;
  if (path === '/agents') return <AgentsView />;
  if (path === '/talk') return <TalkView />;
  if (path === '/messages') return <MessagesView />;
  if (path === '/tasks') return <TasksView />;
  if (path === '/approvals') return <ApprovalsView />;
  if (path === '/people') return <PeopleView />;
  if (path === '/logs') return <LogsView />;
  return (
    <>
      <PageHeader title="Not found" />
      <Empty title="There is no page here.">
        <Link href="/">Back to the overview</Link>
      </Empty>
    </>
  );
}

function App() {
  const { path } = useLocation();
  const status = useApi<Status>('/api/status');
  // The health banner follows the gateway: degraded and recovered as it happens.
  useGatewayEvents('', (event) => {
    if (event.type === 'gateway.health') status.reload();
  });
  return (
    <Shell path={path} status={status.data}>
      <Page path={path} status={status.data} reloadStatus={status.reload} />
    </Shell>
  );
}

prefetch('/api/status');
const root = document.getElementById('app');
if (root) render(<App />, root);
