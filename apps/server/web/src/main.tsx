import { render } from 'preact';
import { prefetch, takeInitialState, useApi } from './api';
import { Shell } from './components/layout';
import { Empty, Link, PageHeader } from './components/ui';
import { useGatewayEvents } from './events';
import './styles.css';
import { lazyView } from './lazy-view';
import { useLocation } from './router';
import type { Status } from './types';
import { OverviewView } from './views/overview-view';

// The overview is the first page; every other view loads when first shown.
const SessionsView = lazyView(() => import('./views/sessions-view').then((module) => module.SessionsView));
const SessionView = lazyView(() => import('./views/session-view').then((module) => module.SessionView));
const AgentsView = lazyView(() => import('./views/agents-view').then((module) => module.AgentsView));
const TalkView = lazyView(() => import('./views/talk-view').then((module) => module.TalkView));
const MessagesView = lazyView(() => import('./views/messages-view').then((module) => module.MessagesView));
const TasksView = lazyView(() => import('./views/tasks-view').then((module) => module.TasksView));
const ApprovalsView = lazyView(() => import('./views/approvals-view').then((module) => module.ApprovalsView));
const PeopleView = lazyView(() => import('./views/people-view').then((module) => module.PeopleView));
const LogsView = lazyView(() => import('./views/logs-view').then((module) => module.LogsView));

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
  useGatewayEvents(
    '',
    (event) => {
      if (event.type === 'gateway.health') status.reload();
    },
    { onMissed: status.reload },
  );
  return (
    <Shell path={path} status={status.data}>
      <Page path={path} status={status.data} reloadStatus={status.reload} />
    </Shell>
  );
}

// The server writes the status into the page; without it (an older server) it is asked for at once.
takeInitialState('ngb-initial-state');
prefetch('/api/status');
const root = document.getElementById('app');
if (root) render(<App />, root);
