import type { ReactNode } from 'react';
import type { ConnectionHealth } from '@shared/connections/model';
import type { SecretStatus } from '@shared/kernel/secrets';
import { useHealth, useSecretStatus } from '../api/app-queries';
import { useConnectivity } from '../api/hooks';
import type { ConnectivitySnapshot } from '../api/types';
import { StatusBadge } from '../components/StatusBadge';
import type { Tone } from '../components/StatusBadge';
import { KeyIcon, PlugIcon } from '../components/icons';
import { useNow } from '../state/clock';
import { describeHealth } from '../format/health';
import { hrefOf } from '../state/route';
import { KIND_LABELS } from '../format/labels';
import { formatDateTime } from '../format/time';

function HealthItem(props: { health: ConnectionHealth; now: number }): ReactNode {
  const { health: h } = props;
  const v = describeHealth(h, props.now);
  const title = [
    `${KIND_LABELS[h.kind]} connection "${h.name}" (${h.id})`,
    h.message ? `Last answer: ${h.message}` : null,
    h.lastOkAt ? `Last good answer: ${formatDateTime(h.lastOkAt)}` : 'No good answer yet',
    h.checkedAt ? `Last checked: ${formatDateTime(h.checkedAt)}` : null,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <li>
      <a
        href={hrefOf('settings', 'connections', h.id)}
        className="status-item"
        data-testid={`status-conn-${h.id}`}
        data-state={h.state}
        data-stale={v.stale}
        title={title}
      >
        <StatusBadge tone={v.tone}>
          <span className="status-name">{h.name}</span> <span className="status-word">{v.word}</span>
        </StatusBadge>
        <span className={`status-age${v.stale ? ' stale' : ''}`} data-testid={`status-conn-${h.id}-age`}>
          {v.age ? (h.state === 'error' ? `last good ${v.age}` : v.age) : h.state === 'error' ? 'never answered' : ''}
        </span>
      </a>
    </li>
  );
}

function secretTone(s: SecretStatus): { tone: Tone; text: string } {
  if (s.backend === 'keychain' && s.state === 'ok') return { tone: 'ok', text: 'keychain' };
  if (s.backend === 'memory') return { tone: 'warn', text: `session only (${s.state})` };
  return { tone: 'error', text: `keychain ${s.state}` };
}

function SecretStoreItem(): ReactNode {
  const q = useSecretStatus();
  if (!q.data) return null;
  const { tone, text } = secretTone(q.data);
  return (
    <li
      className="status-item"
      data-testid="status-secrets"
      data-state={q.data.state}
      data-backend={q.data.backend}
      title={q.data.reason ?? ''}
    >
      <KeyIcon className="icon" />
      <StatusBadge tone={tone}>Secrets: {text}</StatusBadge>
    </li>
  );
}

function linkTone(c: ConnectivitySnapshot): { tone: Tone; text: string } {
  if (c.state === 'online') return { tone: 'ok', text: 'live' };
  if (c.state === 'connecting') return { tone: 'busy', text: 'connecting' };
  return { tone: 'error', text: 'offline' };
}

function LinkItem(): ReactNode {
  const c = useConnectivity();
  // Electron IPC cannot drop; only the browser's WebSocket link is worth a status item.
  if (c.endpoint === null) return null;
  const { tone, text } = linkTone(c);
  return (
    <li className="status-item" data-testid="status-link" data-state={c.state}>
      <PlugIcon className="icon" />
      <StatusBadge tone={tone}>Server link: {text}</StatusBadge>
    </li>
  );
}

export function StatusBar(): ReactNode {
  const health = useHealth();
  const now = useNow();
  const list = health.data ?? [];
  return (
    <footer className="statusbar" data-testid="statusbar">
      <ul className="status-list" aria-label="Connection health">
        {health.isError && list.length === 0 ? (
          <li className="status-item" data-testid="status-health-error" title={health.error.message}>
            <StatusBadge tone="error">Health unavailable</StatusBadge>
          </li>
        ) : null}
        {health.data && list.length === 0 ? (
          <li className="status-item muted" data-testid="status-no-connections">
            <a href={hrefOf('settings', 'connections')}>No connections</a>
          </li>
        ) : null}
        {list.map((h) => (
          <HealthItem key={h.id} health={h} now={now} />
        ))}
      </ul>
      <ul className="status-list status-right">
        <LinkItem />
        <SecretStoreItem />
      </ul>
    </footer>
  );
}
