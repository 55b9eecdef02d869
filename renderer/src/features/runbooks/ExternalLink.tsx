import type { MouseEvent, ReactNode } from 'react';
import { useClient } from '../../app/api/hooks';

/**
 * A link to another system (AWX, a runbook reference). In the desktop app it goes to the system browser through
 * main (which opens only http(s) links the user clicked); in a browser on `toc serve` it opens a new tab without
 * giving that tab a handle on this one.
 */
export function ExternalLink(props: { href: string; children: ReactNode; className?: string; testId?: string; title?: string }): ReactNode {
  const client = useClient();
  const safe = /^(https?:\/\/|mailto:)/i.test(props.href);
  if (!safe) return <span className={props.className}>{props.children}</span>;
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    if (client.transport !== 'ipc') return;
    e.preventDefault();
    void client.call('shell.openExternal', { url: props.href }).catch(() => undefined);
  };
  return (
    <a
      href={props.href}
      target="_blank"
      rel="noopener noreferrer"
      className={props.className}
      onClick={onClick}
      data-testid={props.testId}
      title={props.title}
    >
      {props.children}
    </a>
  );
}
