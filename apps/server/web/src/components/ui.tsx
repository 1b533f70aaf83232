import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api';
import { onLinkClick } from '../router';

/** An in-app link. */
export function Link(props: { href: string; class?: string; children: ComponentChildren; title?: string }) {
  return (
    <a href={props.href} class={props.class} title={props.title} onClick={onLinkClick}>
      {props.children}
    </a>
  );
}

/** The title line of a page, with its actions on the right. */
export function PageHeader(props: { title: string; subtitle?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle && <p class="muted">{props.subtitle}</p>}
      </div>
      {props.children && <div class="actions">{props.children}</div>}
    </header>
  );
}

/** A bordered panel with an optional title. */
export function Card(props: {
  title?: ComponentChildren;
  extra?: ComponentChildren;
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <section class={`card ${props.class ?? ''}`}>
      {(props.title || props.extra) && (
        <div class="card-head">
          <h2>{props.title}</h2>
          {props.extra}
        </div>
      )}
      {props.children}
    </section>
  );
}

const tones: Record<string, string> = {
  connected: 'ok',
  active: 'ok',
  succeeded: 'ok',
  approved: 'ok',
  running: 'info',
  connecting: 'warn',
  pending: 'warn',
  paused: 'warn',
  queued: 'warn',
  retrying: 'warn',
  degraded: 'warn',
  request_approval: 'warn',
  disconnected: 'bad',
  failed: 'bad',
  denied: 'bad',
  cancelled: 'muted',
  closed: 'muted',
  completed: 'muted',
  strict: 'muted',
  public: 'info',
};

/** A colored status word. */
export function Badge(props: { value: string; tone?: string }) {
  return <span class={`badge tone-${props.tone ?? tones[props.value] ?? 'muted'}`}>{props.value.replace('_', ' ')}</span>;
}

/** What an empty list means and what to do about it. */
export function Empty(props: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <strong>{props.title}</strong>
      {props.children && <p>{props.children}</p>}
    </div>
  );
}

/** A failed load, in words: a route this server does not have yet reads differently from an outage. */
export function ErrorState(props: { error: ApiError; what: string; onRetry?: () => void }) {
  // The server's catch-all 404 ("nothing at GET /api/…") and 501 mean the route is not there, not that it failed.
  const missing = (props.error.status === 404 && props.error.message.startsWith('nothing at')) || props.error.status === 501;
  return (
    <div class={`empty ${missing ? '' : 'error'}`} role={missing ? undefined : 'alert'}>
      <strong>
        {missing ? `${props.what} are not available on this server yet` : `Could not load ${props.what.toLowerCase()}`}
      </strong>
      <p>
        {missing && props.error.status === 404
          ? 'This gateway does not serve that part of the API. Update ngb to see it here.'
          : props.error.message}
      </p>
      {!missing && props.onRetry && (
        <button type="button" class="button" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A quiet placeholder while a first load runs. */
export function Loading() {
  return (
    <div class="loading" aria-busy="true">
      <span />
      <span />
      <span />
    </div>
  );
}

/** A label over a big number. */
export function Stat(props: { label: string; value: ComponentChildren; hint?: ComponentChildren }) {
  return (
    <div class="stat">
      <span class="stat-label">{props.label}</span>
      <span class="stat-value">{props.value}</span>
      {props.hint && <span class="stat-hint">{props.hint}</span>}
    </div>
  );
}
