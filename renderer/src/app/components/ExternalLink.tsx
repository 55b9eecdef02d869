import type { MouseEvent, ReactNode } from 'react';
import { useClient } from '../api/hooks';

/** Only web pages leave the console: a `javascript:`, `file:`, `data:` or app link from a remote system is text. */
export const isWebLink = (href: string): boolean => /^https?:\/\/[^\s]/i.test(href.trim());

/**
 * A link to a page outside the console (a runbook, an AWX job, a ServiceNow record, an alert's source). In the
 * desktop app the click goes to main's shell.openExternal (http(s) only, checked there again); under
 * `toc serve` it is an ordinary link the browser opens in a new tab without a handle on this one.
 */
export function ExternalLink(props: { href: string; children: ReactNode; className?: string; testId?: string; title?: string }): ReactNode {
  const client = useClient();
  if (!isWebLink(props.href))
    return (
      <span className={props.className} data-testid={props.testId} title={props.title}>
        {props.children}
      </span>
    );
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    if (client.transport !== 'ipc') return;
    e.preventDefault();
    void client.call('app.openExternal', { url: props.href }).catch(() => undefined);
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
