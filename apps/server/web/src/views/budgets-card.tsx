import type { Loaded } from '../api';
import { Badge, Card, Empty, ErrorState, Loading } from '../components/ui';
import { compact, dollars } from '../format';
import type { BudgetRow, Budgets } from '../types';

const stateBadge: Record<BudgetRow['state'], { word: string; tone: string }> = {
  ok: { word: 'ok', tone: 'ok' },
  near: { word: 'near limit', tone: 'warn' },
  spent: { word: 'spent', tone: 'bad' },
  unlimited: { word: 'no limit', tone: 'muted' },
};

/** "$0.15 of $0.18" and "110 of 1K tokens", for the limits the row has. */
function amounts(row: BudgetRow): string {
  const parts: string[] = [];
  if (row.limitUsd !== null) parts.push(`${dollars(row.costUsd)} of ${dollars(row.limitUsd)}`);
  if (row.limitTokens !== null) parts.push(`${compact(row.tokens)} of ${compact(row.limitTokens)} tokens`);
  return parts.join(' · ');
}

/** Each configured budget of the current day and month: spent against the limit, as a bar with its state. */
export function BudgetsCard(props: { loaded: Loaded<Budgets> }) {
  const { data, error } = props.loaded;
  const limited = (data?.budgets ?? []).filter((row) => row.state !== 'unlimited');
  return (
    <Card
      title="Budgets"
      class="budgets"
      extra={
        data && (
          <span class="muted small">
            day {data.periods.day.replace('day:', '')} · month {data.periods.month.replace('month:', '')} · {data.timeZone}
          </span>
        )
      }
    >
      {error ? (
        <ErrorState error={error} what="Budgets" />
      ) : !data ? (
        <Loading />
      ) : limited.length === 0 ? (
        <Empty title="No budget is set">
          Limit spend per day or month under <code>agents.&lt;name&gt;.budget</code> and <code>budgets</code> in ngb.config.json.
        </Empty>
      ) : (
        <ul class="budget-rows">
          {limited.map((row) => {
            const share = Math.min(1, row.share ?? 0);
            const badge = stateBadge[row.state];
            return (
              <li key={`${row.scope}:${row.name}:${row.period}`} data-budget-state={row.state}>
                <span class="budget-name">
                  {row.name} <span class="muted small">{row.scope}</span>
                </span>
                <span class="muted small">{row.period === 'day' ? 'today' : 'this month'}</span>
                <svg viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label={`${Math.round(share * 100)} % used`}>
                  <rect class="share-track" width="100" height="8" rx="4" />
                  <rect class={`budget-fill budget-${row.state}`} width={Math.max(1, share * 100)} height="8" rx="4" />
                </svg>
                <span class="share-value">
                  {amounts(row)} · {Math.round((row.share ?? 0) * 100)} %
                </span>
                <Badge value={badge.word} tone={badge.tone} />
              </li>
            );
          })}
        </ul>
      )}
      {data && data.budgets.length > limited.length && (
        <p class="muted small">
          {data.budgets.length - limited.length} more with spend and no limit this period (see <code>ngb cost</code>).
        </p>
      )}
    </Card>
  );
}
