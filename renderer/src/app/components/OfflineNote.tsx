import type { ReactNode } from 'react';
import type { OfflineMark } from '@shared/offline/contract';
import { useNow } from '../state/clock';
import { formatAge, formatDateTime } from '../format/time';
import { WarnIcon } from './icons';

/**
 * One line on a detail that came from the offline copy: how old it is (age and time), why the live system was
 * not used (its own words, once), and what the copy lacks. The view reads again while it shows a copy.
 */
export function OfflineNote(props: { mark: OfflineMark; testId: string }): ReactNode {
  const now = useNow();
  const at = Date.parse(props.mark.syncedAt);
  return (
    <div className="stale-notice offline-note" role="status" data-testid={props.testId}>
      <WarnIcon className="icon" />
      <span>
        <strong>Offline copy, read {formatAge(now - at)}</strong> ({formatDateTime(at, { seconds: false })}) — {props.mark.reason}
        {props.mark.missing ? <span className="muted"> {props.mark.missing}</span> : null}
      </span>
    </div>
  );
}

/** While a detail shows the offline copy, read it again every 15 s: a system that came back replaces it. */
export const OFFLINE_RETRY_MS = 15_000;
export const refetchWhileOffline = (q: { state: { data?: { offline?: OfflineMark } | undefined } }): number | false =>
  q.state.data?.offline ? OFFLINE_RETRY_MS : false;
