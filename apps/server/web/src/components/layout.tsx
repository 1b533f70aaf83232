import type { ComponentChildren } from 'preact';
import type { Status } from '../types';
import { Link } from './ui';

const sections = [
  { href: '/', label: 'Overview', icon: 'M3 13h8V3H3zm10 8h8V11h-8zM3 21h8v-6H3zm10-18v6h8V3z' },
  { href: '/sessions', label: 'Sessions', icon: 'M4 5h16v10H8l-4 4zM8 9h8M8 12h5' },
  { href: '/agents', label: 'Agents', icon: 'M12 3l8 4.5v9L12 21l-8-4.5v-9zM12 12l8-4.5M12 12v9M12 12L4 7.5' },
  { href: '/talk', label: 'Chat', icon: 'M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z' },
  { href: '/messages', label: 'Messages', icon: 'M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zm10 17-5-5' },
  { href: '/tasks', label: 'Tasks', icon: 'M12 7v5l3 3M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z' },
  { href: '/approvals', label: 'Approvals', icon: 'M5 12l5 5L20 7' },
  { href: '/people', label: 'Users & chats', icon: 'M16 11a4 4 0 1 0-8 0 4 4 0 0 0 8 0zM4 21a8 8 0 0 1 16 0' },
  { href: '/logs', label: 'Logs', icon: 'M4 6h16M4 10h16M4 14h10M4 18h7' },
];

function isCurrent(href: string, path: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

/** The frame of every dashboard page: the navigation, the health and isolation banners and the page. */
export function Shell(props: { path: string; status: Status | undefined; children: ComponentChildren }) {
  return (
    <div class="shell">
      <nav class="sidebar" aria-label="Sections">
        <Link href="/" class="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>
            NanoGridBot
            <small>agent gateway</small>
          </span>
        </Link>
        <ul>
          {sections.map((section) => (
            <li key={section.href}>
              <Link href={section.href} class={isCurrent(section.href, props.path) ? 'nav-item current' : 'nav-item'}>
                <svg viewBox="0 0 24 24" aria-hidden="true">
                  <path d={section.icon} />
                </svg>
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main class="main">
        {props.status?.health?.state === 'degraded' && (
          <div class="banner banner-degraded" role="alert" data-health="degraded">
            <strong>Degraded: new turns wait.</strong> {props.status.health.reason}. Messages are stored and answered once memory
            is back under the limit; idle sandboxes were stopped.
          </div>
        )}
        {props.status?.isolated === false && (
          <div class="banner" role="alert">
            <strong>Tools run on this machine, not in a sandbox.</strong> This gateway uses the local runtime: an agent's commands
            can read and change your files. Start Docker and use the docker runtime for isolation.
          </div>
        )}
        {props.children}
      </main>
    </div>
  );
}
