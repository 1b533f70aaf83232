import type { Loaded, Page } from '../api';
import { Badge, Empty, ErrorState, Loading } from '../components/ui';
import { ago, compact, duration } from '../format';
import type { EgressRequest } from '../types';

/** The session's requests through the egress proxy, newest first: what was reached, what was refused and why. */
export function EgressRequests(props: { requests: Loaded<Page<EgressRequest>> }) {
  const { requests } = props;
  if (requests.error) return <ErrorState error={requests.error} what="Network requests" onRetry={requests.reload} />;
  if (!requests.data) return <Loading />;
  if (requests.data.items.length === 0) {
    return (
      <Empty title="No network request">
        Agents with a network allowlist reach it through the egress proxy; each request shows here.
      </Empty>
    );
  }
  return (
    <ul class="rows compact egress-requests">
      {[...requests.data.items]
        .reverse()
        .slice(0, 50)
        .map((request) => (
          <li key={request.id} data-egress={request.allowed ? 'allowed' : 'refused'} title={request.address}>
            <Badge value={request.allowed ? 'allowed' : 'refused'} tone={request.allowed ? 'ok' : 'bad'} />
            <div class="egress-target">
              <span class="mono small">
                {request.method} {request.host}:{request.port}
              </span>
              {request.reason && <span class="small muted egress-reason">{request.reason}</span>}
              <span class="small muted">
                {request.allowed &&
                  `↑${compact(request.bytesUp)} ↓${compact(request.bytesDown)} · ${duration(request.durationMs)} · `}
                {ago(request.startedAt)}
              </span>
            </div>
          </li>
        ))}
    </ul>
  );
}
