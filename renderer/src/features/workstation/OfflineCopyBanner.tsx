import type { ReactNode } from 'react';
import type { OfflineServed } from '@shared/offline/contract';
import { useCall } from '../../app/api/hooks';
import { useNow } from '../../app/state/clock';
import { formatAge } from '../../app/format/time';
import { Banner } from '../../app/shell/banners/Banner';

// When reads are answered from the offline copy (no network, a system down since the console started), say so
// above every view: which data is the copy, how old it is, and that actions need the live system.

const RECENT_MS = 5 * 60_000;

const LABEL: Record<string, string> = {
  'runbooks.list': 'runbook list',
  'runbooks.get': 'runbook',
  'jobs.templates': 'job templates',
  'jobs.launchForm': 'launch form',
  'jobs.list': 'jobs',
  'slo.fleet': 'SLO fleet',
  'incidents.list': 'incident queue',
  'incidents.changesInFlight': 'changes in flight',
  'incidents.get': 'incident detail',
  'incidents.searchNotes': 'work-note and comment search',
  'slo.detail': 'SLO detail',
  'jobs.get': 'job',
};

export function describeServed(list: readonly OfflineServed[], now: number): string[] {
  const byLabel = new Map<string, number>();
  for (const s of list) {
    if (now - Date.parse(s.at) > RECENT_MS) continue;
    const label = LABEL[s.method] ?? s.method;
    const at = Date.parse(s.syncedAt);
    const prev = byLabel.get(label);
    if (prev === undefined || at < prev) byLabel.set(label, at);
  }
  return [...byLabel].map(([label, at]) => `${label} (synced ${formatAge(now - at)})`);
}

export function OfflineCopyBanner(): ReactNode {
  const status = useCall('offline.status', {}, { refetchInterval: 20_000, staleTime: 10_000 });
  const now = useNow();
  const parts = describeServed(status.data?.served ?? [], now);
  if (parts.length === 0) return null;
  return (
    <Banner tone="warn" title="Showing the offline copy" testId="banner-offline-copy" foldable>
      <p>
        Systems not reachable; saved copies, not current: {parts.join(', ')}. Launching a job and every other action need the live system.
      </p>
    </Banner>
  );
}
