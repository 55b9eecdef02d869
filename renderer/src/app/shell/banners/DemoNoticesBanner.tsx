import { useState } from 'react';
import type { ReactNode } from 'react';
import { useAppInfo } from '../../api/app-queries';
import { Banner } from './Banner';

/** Demo parts that could not start, with how to get them (e.g. installing prometheus). Dismissible. */
export function DemoNoticesBanner(): ReactNode {
  const info = useAppInfo();
  const [dismissed, setDismissed] = useState(false);
  const notices = info.data?.workspace.notices ?? [];
  if (dismissed || notices.length === 0) return null;
  return (
    <Banner
      tone="info"
      title="Demo notes"
      testId="banner-demo-notice"
      actions={
        <button type="button" className="btn" onClick={() => setDismissed(true)} data-testid="banner-demo-dismiss">
          Dismiss
        </button>
      }
    >
      <ul className="problem-list">
        {notices.map((n, i) => (
          <li key={i} data-testid="demo-notice">
            {n}
          </li>
        ))}
      </ul>
    </Banner>
  );
}
