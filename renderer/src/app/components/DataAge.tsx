import type { ReactNode } from 'react';
import { useNow } from '../state/clock';
import { formatAge, formatDateTime, isStale } from '../format/time';
import { ClockIcon, WarnIcon } from './icons';

/** "Updated 12 s ago", turning into a stale warning once the data is older than twice its refresh interval. */
export function DataAge(props: { at: number | null; refreshMs: number; testId?: string; prefix?: string }): ReactNode {
  const now = useNow();
  if (props.at === null)
    return (
      <span className="data-age muted" data-testid={props.testId}>
        never updated
      </span>
    );
  const age = now - props.at;
  const stale = isStale(age, props.refreshMs);
  const Icon = stale ? WarnIcon : ClockIcon;
  return (
    <span className={`data-age${stale ? ' stale' : ''}`} data-testid={props.testId} data-stale={stale} title={formatDateTime(props.at)}>
      <Icon className="icon" />
      {props.prefix ?? 'updated'} {formatAge(age)}
      {stale ? ' · stale' : ''}
    </span>
  );
}
