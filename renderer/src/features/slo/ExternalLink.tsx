import type { MouseEvent, ReactNode } from 'react';
import { useClient } from '../../app/api/hooks';

/**
 * A link to a page outside the console (a runbook). In the desktop app the click goes to main's
 * shell.openExternal (http(s) only, checked there again); under `toc serve` it is an ordinary link that the
 * browser opens in a new tab.
 */
export function ExternalLink(props: { href: string; children: ReactNode; testId?: string; className?: string }): ReactNode {
  const client = useClient();
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    if (client.transport !== 'ipc') return;
    e.preventDefault();
    void client.call('shell.openExternal', { url: props.href }).catch(() => undefined);
  };
  return (
    <a href={props.href} target="_blank" rel="noopener noreferrer" onClick={onClick} data-testid={props.testId} className={props.className}>
      {props.children}
    </a>
  );
}
