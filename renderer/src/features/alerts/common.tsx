import type { MouseEvent, ReactNode } from 'react';
import type { Alert } from '@shared/alerts/model';
import type { Matcher } from '@shared/alerts/matchers';
import { operatorOf } from '@shared/alerts/matchers';
import { useClient } from '../../app/api/hooks';
import { StatusBadge } from '../../app/components/StatusBadge';

/**
 * A link out of the console (dashboard, runbook page). In the desktop app the click goes to main's
 * shell.openExternal (http(s) only, checked there again); under `toc serve` it opens in a new tab.
 */
export function ExternalLink(props: { href: string; children: ReactNode; testId?: string }): ReactNode {
  const client = useClient();
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    if (client.transport !== 'ipc') return;
    e.preventDefault();
    void client.call('shell.openExternal', { url: props.href }).catch(() => undefined);
  };
  return (
    <a href={props.href} target="_blank" rel="noopener noreferrer" onClick={onClick} data-testid={props.testId}>
      {props.children}
    </a>
  );
}

export function LabelChips(props: { labels: Record<string, string>; omit?: readonly string[]; testId?: string }): ReactNode {
  const names = Object.keys(props.labels)
    .filter((n) => !(props.omit ?? []).includes(n))
    .sort();
  return (
    <ul className="am-chips" data-testid={props.testId}>
      {names.map((n) => (
        <li key={n} className="am-chip">
          <span className="am-chip-name">{n}</span>=<span className="am-chip-value">{props.labels[n]}</span>
        </li>
      ))}
    </ul>
  );
}

export function MatcherChips(props: { matchers: readonly Matcher[]; testId?: string }): ReactNode {
  return (
    <ul className="am-chips" data-testid={props.testId}>
      {props.matchers.map((m, i) => (
        <li key={`${m.name}-${i}`} className={`am-chip${m.isRegex ? ' am-chip-regex' : ''}`}>
          <span className="am-chip-name">{m.name}</span>
          <span className="am-chip-op">{operatorOf(m)}</span>
          <span className="am-chip-value">&quot;{m.value}&quot;</span>
        </li>
      ))}
    </ul>
  );
}

/** Firing, silenced, inhibited: each with its own word, never colour alone. */
export function AlertStateBadge(props: { alert: Pick<Alert, 'state' | 'silencedBy' | 'inhibitedBy'>; testId?: string }): ReactNode {
  const a = props.alert;
  if (a.state === 'active') {
    return (
      <StatusBadge tone="error" testId={props.testId}>
        firing
      </StatusBadge>
    );
  }
  if (a.state === 'suppressed') {
    const how =
      [a.silencedBy.length ? 'silenced' : '', a.inhibitedBy.length ? 'inhibited' : ''].filter(Boolean).join(' + ') || 'suppressed';
    const title = [
      a.silencedBy.length ? `silenced by ${a.silencedBy.join(', ')}` : '',
      a.inhibitedBy.length ? `inhibited by alert ${a.inhibitedBy.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return (
      <StatusBadge tone="unknown" testId={props.testId} title={title}>
        {how}
      </StatusBadge>
    );
  }
  return (
    <StatusBadge tone="busy" testId={props.testId}>
      not yet processed
    </StatusBadge>
  );
}
