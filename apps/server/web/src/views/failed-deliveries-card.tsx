import { useState } from 'preact/hooks';
import { type ApiError, api, type Loaded, type Page } from '../api';
import { Badge, Card, Empty, ErrorState, Loading } from '../components/ui';
import { ago, when } from '../format';
import type { FailedDelivery } from '../types';

const previewLength = 140;

function preview(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > previewLength ? `${line.slice(0, previewLength - 1)}…` : line;
}

/** The list the card shows (the page reloads it on `delivery.failed` for good and `delivery.retried`). */
export const failedDeliveriesPath = '/api/deliveries/failed?limit=20';

/** Replies the gateway gave up delivering, each with its chat, error and a Retry button. */
export function FailedDeliveriesCard(props: { loaded: Loaded<Page<FailedDelivery>> }) {
  const failed = props.loaded;
  const [acting, setActing] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const retry = async (delivery: FailedDelivery) => {
    setActing(delivery.id);
    setFailure(undefined);
    try {
      await api(`/api/deliveries/${encodeURIComponent(delivery.id)}/retry`, { method: 'POST' });
      failed.reload();
    } catch (error) {
      setFailure((error as ApiError).message);
    } finally {
      setActing(undefined);
    }
  };
  const items = failed.data?.items ?? [];
  return (
    <Card
      title="Failed deliveries"
      class="failed-deliveries"
      extra={items.length > 0 && <span class="muted small">kept until you retry them</span>}
    >
      {failure && (
        <div class="notice error" role="alert">
          {failure}
        </div>
      )}
      {failed.error ? (
        <ErrorState error={failed.error} what="Failed deliveries" onRetry={failed.reload} />
      ) : !failed.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty title="Every reply was delivered">
          A reply the platform keeps refusing after its retries shows up here, and you are told in your chat.
        </Empty>
      ) : (
        <ul class="rows failed-delivery-rows">
          {items.map((delivery) => (
            <li key={delivery.id} data-delivery={delivery.id}>
              <Badge value={delivery.channel} tone="muted" />
              <span class="failed-delivery-body">
                <span class="failed-delivery-chat">{delivery.chatName ?? delivery.chatId}</span>
                <span class="failed-delivery-text">{preview(delivery.text)}</span>
                <span class="failed-delivery-error muted small">
                  {delivery.refused ? 'refused' : `${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`} ·{' '}
                  {delivery.error ?? 'no error recorded'}
                </span>
              </span>
              <span class="muted small" title={when(delivery.failedAt)}>
                {ago(delivery.failedAt)}
              </span>
              <span class="row-actions">
                <button class="button primary" type="button" disabled={acting !== undefined} onClick={() => void retry(delivery)}>
                  {acting === delivery.id ? 'Retrying…' : 'Retry'}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
