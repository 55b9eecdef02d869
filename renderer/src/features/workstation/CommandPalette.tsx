import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent, ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { SloFleet } from '@shared/slo/contract';
import type { JobSummary, TemplateSummary } from '@shared/jobs/model';
import type { IncidentDetail, QueueSnapshot } from '@shared/incidents/model';
import { useSettings } from '../../app/api/app-queries';
import { environmentsOf, useEnvironment } from '../../app/api/environment';
import { callKey, useAction, useCall } from '../../app/api/hooks';
import { navigate } from '../../app/state/route';
import type { Route } from '../../app/state/route';
import { useUiStore } from '../../app/state/ui';
import { VIEWS } from '../../app/views';
import type { PaletteItem } from './palette-search';
import { rankItems } from './palette-search';
import { mergeNoteHits } from './palette-notes';
import { useNoteSearch } from './use-note-search';
import { printRunbook, useWorkstation } from './workstation-store';
import { useRelatedEntries } from '../context';
import { PaletteOptions, paletteLines } from './PaletteOptions';

// Ctrl/Cmd+K: one box that finds SLOs, incidents, runbooks, jobs and templates the console already holds, and
// the things to do (views, environments, theme, printing, the offline copy). Searches what the views' reads
// already cached, plus the runbook list, the SLO fleet, the incident queue and the job list read when opened.

interface Entry extends PaletteItem {
  run: () => void;
}

const KIND_LABEL: Record<PaletteItem['kind'], string> = {
  action: 'Action',
  view: 'Go to',
  incident: 'Incident',
  slo: 'SLO',
  runbook: 'Runbook',
  job: 'Job',
  template: 'Template',
};

const INCIDENT_NUMBER = /^[a-z]{2,10}\d{4,12}$/i;

function go(route: Route): () => void {
  return () => navigate(route);
}

/** The value once it has stopped changing for `ms` (a search per pause in typing, not per key). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

function usePaletteEntries(open: boolean, query: string): Entry[] {
  const qc = useQueryClient();
  const scope = useEnvironment();
  const settings = useSettings();
  const setHelp = useUiStore((s) => s.setHelpOpen);
  const setTheme = useUiStore((s) => s.setTheme);
  const theme = useUiStore((s) => s.theme);
  const update = useAction('settings.update', { onSuccess: (s) => qc.setQueryData(callKey('settings.get', {}), s) });
  const sync = useAction('offline.sync');
  const has = (kind: string): boolean => scope.connections.some((c) => c.spec.kind === kind);
  const firstSnow = scope.connections.find((c) => c.spec.kind === 'servicenow')?.spec.id;

  // Read when the palette opens (cheap: runbooks are local files; the others answer from the core's own sync).
  const runbooks = useCall('runbooks.list', {}, { enabled: open, staleTime: 60_000 });
  // Runbook bodies are searched where they live (the runbook store scores the text and returns the passage).
  const bodyQuery = useSettled(query.trim(), 200);
  const bodyHits = useCall('runbooks.list', { query: bodyQuery }, { enabled: open && bodyQuery.length >= 3, staleTime: 60_000 });
  useCall('slo.fleet', {}, { enabled: open && has('prometheus'), staleTime: 60_000 });
  useCall('jobs.list', { limit: 50 }, { enabled: open && has('awx'), staleTime: 15_000 });
  useCall('incidents.list', { connectionId: firstSnow ?? '' }, { enabled: open && firstSnow !== undefined, staleTime: 30_000 });

  return useMemo(() => {
    if (!open) return [];
    const out: Entry[] = [];
    const envIds = new Set(scope.connections.map((c) => c.spec.id));
    const inEnv = (id: string | undefined): boolean => scope.environment === null || id === undefined || envIds.has(id);

    // Work notes and comments of every incident whose detail was read (opened, or kept by the offline sync).
    const notes = new Map<string, string>();
    for (const [, d] of qc.getQueriesData<IncidentDetail>({ queryKey: ['call', 'incidents.get'] }))
      if (d) notes.set(d.sys_id, [d.description, ...d.journal.map((j) => j.value)].join('\n'));
    // Incidents, from every queue the views have read.
    const seenInc = new Set<string>();
    for (const [, snap] of qc.getQueriesData<QueueSnapshot>({ queryKey: ['call', 'incidents.list'] })) {
      if (!snap || !inEnv(snap.connectionId)) continue;
      for (const r of snap.rows) {
        if (seenInc.has(r.sys_id)) continue;
        seenInc.add(r.sys_id);
        out.push({
          id: `incident:${r.sys_id}`,
          kind: 'incident',
          title: `${r.number} ${r.short_description}`,
          subtitle: `P${r.priority.value || '?'} · ${r.state.label} · ${r.assignment_group.label || 'no group'}${r.cmdb_ci.label ? ` · ${r.cmdb_ci.label}` : ''}`,
          keywords: [r.number, r.cmdb_ci.label, r.assignment_group.label, r.u_alert_name, `p${r.priority.value}`].filter(Boolean),
          ...(notes.has(r.sys_id) ? { text: notes.get(r.sys_id) } : {}),
          tone: r.priority.value === '1' ? 'error' : r.priority.value === '2' ? 'warn' : 'unknown',
          run: go({ view: 'incidents', path: [r.sys_id] }),
        });
      }
    }
    const q = query.trim();
    if (INCIDENT_NUMBER.test(q) && !out.some((e) => e.kind === 'incident' && e.title.toLowerCase().startsWith(q.toLowerCase()))) {
      out.push({
        id: `incident-open:${q}`,
        kind: 'incident',
        title: `${q.toUpperCase()}`,
        subtitle: 'Open this incident by its number',
        run: go({ view: 'incidents', path: [q.toUpperCase()] }),
      });
    }

    // SLOs from the fleet.
    const seenSlo = new Set<string>();
    for (const [, fleet] of qc.getQueriesData<SloFleet>({ queryKey: ['call', 'slo.fleet'] })) {
      for (const s of fleet?.statuses ?? []) {
        if (seenSlo.has(s.id) || !inEnv(s.connectionId)) continue;
        seenSlo.add(s.id);
        const paging = s.alerts.some((a) => a.severity === 'page');
        out.push({
          id: `slo:${s.id}`,
          kind: 'slo',
          title: s.displayName ?? s.name,
          subtitle: `${s.service} · ${s.errorBudgetRemaining === null ? 'budget unknown' : `${(s.errorBudgetRemaining * 100).toFixed(1)} % budget left`}${paging ? ' · paging' : ''}`,
          keywords: [s.name, s.service, s.id, ...Object.values(s.labels)],
          tone: paging || s.policy === 'emergency' ? 'error' : s.policy === 'normal' ? 'ok' : s.policy === 'no-data' ? 'unknown' : 'warn',
          run: go({ view: 'slos', path: ['detail', s.id] }),
        });
      }
    }

    // Runbooks (and, asked for, their print layout).
    const wantsPrint = /\b(print|pdf)\b/i.test(q);
    const passages = new Map((bodyQuery === q ? (bodyHits.data?.runbooks ?? []) : []).map((r) => [r.id, r.snippet ?? '']));
    for (const r of runbooks.data?.runbooks ?? []) {
      const passage = passages.get(r.id);
      out.push({
        id: `runbook:${r.id}`,
        kind: 'runbook',
        title: r.title,
        subtitle: passage || [r.awx ? `AWX ${r.awx.template}` : 'procedure', ...r.services].join(' · '),
        keywords: [r.id, ...r.tags, ...r.services, ...r.alerts, ...r.cis],
        ...(passage ? { text: passage } : {}),
        run: go({ view: 'runbooks', path: [r.id] }),
      });
      if (wantsPrint)
        out.push({
          id: `print:${r.id}`,
          kind: 'action',
          title: `Print ${r.title}`,
          subtitle: 'Print or save as PDF',
          keywords: ['print', 'pdf', r.id],
          run: () => printRunbook(r.id),
        });
    }

    // Jobs and templates the views have read.
    const seenJob = new Set<string>();
    for (const [, list] of qc.getQueriesData<{ jobs: JobSummary[] }>({ queryKey: ['call', 'jobs.list'] })) {
      for (const j of list?.jobs ?? []) {
        const key = `${j.connectionId}:${j.id}`;
        if (seenJob.has(key) || !inEnv(j.connectionId)) continue;
        seenJob.add(key);
        out.push({
          id: `job:${key}`,
          kind: 'job',
          title: `#${j.id} ${j.name}`,
          subtitle: `${j.status} · ${j.connectionName}${j.launchedBy ? ` · by ${j.launchedBy}` : ''}`,
          keywords: [String(j.id), j.status, j.connectionName],
          recency: j.id,
          tone: j.status === 'failed' || j.status === 'error' ? 'error' : j.status === 'successful' ? 'ok' : 'unknown',
          run: go({ view: 'jobs', path: [j.connectionId, String(j.id)] }),
        });
      }
    }
    const seenTpl = new Set<string>();
    for (const [, list] of qc.getQueriesData<{ templates: TemplateSummary[] }>({ queryKey: ['call', 'jobs.templates'] })) {
      for (const t of list?.templates ?? []) {
        const key = `${t.connectionId}:${t.id}`;
        if (seenTpl.has(key) || !inEnv(t.connectionId)) continue;
        seenTpl.add(key);
        out.push({
          id: `template:${key}`,
          kind: 'template',
          title: t.name,
          subtitle: `Job template · ${t.connectionName}${t.production ? ' · production' : ''}`,
          keywords: [t.playbook, ...t.labels],
          run: go({ view: 'runbooks', path: ['templates', t.connectionId, String(t.id)] }),
        });
      }
    }

    // Views and actions.
    for (const v of VIEWS) {
      if (v.nav === 'hidden') continue;
      out.push({
        id: `view:${v.id}`,
        kind: 'view',
        title: v.label,
        ...(v.shortcut ? { subtitle: `Ctrl/⌘ ${v.shortcut}` } : {}),
        keywords: ['go', 'open', v.id],
        run: go({ view: v.id, path: [] }),
      });
    }
    const envs = environmentsOf(scope.all);
    if (envs.length > 0) {
      out.push({
        id: 'env:all',
        kind: 'action',
        title: 'Show all environments',
        keywords: ['environment', 'env', 'switch'],
        run: () => update.mutate({ environment: null }),
      });
      for (const e of envs)
        out.push({
          id: `env:${e}`,
          kind: 'action',
          title: `Switch to environment ${e}`,
          ...(settings.data?.environment === e ? { subtitle: 'current' } : {}),
          keywords: ['environment', 'env', 'switch', e],
          run: () => update.mutate({ environment: e }),
        });
    }
    out.push(
      {
        id: 'theme',
        kind: 'action',
        title: `Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`,
        keywords: ['theme', 'dark', 'light'],
        run: () => {
          const next = theme === 'dark' ? 'light' : 'dark';
          setTheme(next);
          update.mutate({ theme: next }, { onError: () => setTheme(theme) });
        },
      },
      { id: 'help', kind: 'action', title: 'Keyboard shortcuts', keywords: ['help', 'keys', 'shortcuts', '?'], run: () => setHelp(true) },
      {
        id: 'notifications',
        kind: 'action',
        title: 'Notification settings',
        subtitle: 'Desktop notifications for P1/P2, paging SLOs and finished jobs',
        keywords: ['notifications', 'desktop', 'alerts', 'settings'],
        run: go({ view: 'settings', path: [] }),
      },
      {
        id: 'time-zone',
        kind: 'action',
        title: settings.data?.timeZone === 'utc' ? 'Show times in the local time zone' : 'Show times in UTC',
        keywords: ['utc', 'time zone', 'timezone', 'local', 'clock'],
        run: () => update.mutate({ timeZone: settings.data?.timeZone === 'utc' ? 'local' : 'utc' }),
      },
      {
        id: 'offline-sync',
        kind: 'action',
        title: 'Save an offline copy now',
        subtitle: 'Runbooks, forms, SLOs, incidents and jobs for use without network',
        keywords: ['offline', 'sync', 'cache'],
        run: () => sync.mutate({}),
      },
      {
        id: 'wall',
        kind: 'action',
        title: 'Open the wall display',
        keywords: ['wall', 'noc', 'kiosk', 'tv'],
        run: go({ view: 'wall', path: [] }),
      },
    );
    return out;
    // The cache is read when the palette opens and as the user types; those reads are the dependencies.
  }, [open, query, qc, scope, runbooks.data, bodyQuery, bodyHits.data, settings.data, theme, update, sync, setHelp, setTheme]);
}

export function CommandPalette(): ReactNode {
  const open = useWorkstation((s) => s.paletteOpen);
  const setOpen = useWorkstation((s) => s.setPaletteOpen);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const entries = usePaletteEntries(open, query);
  // Work-note hits from ServiceNow go after the exact and prefix matches (palette-notes.ts).
  const notes = useNoteSearch(open, query);
  const ranked = useMemo(() => mergeNoteHits(rankItems(entries, query, 40), notes.items, query, 40), [entries, notes.items, query]);
  // What the view on screen relates to comes first, in its own section; the search ranking is untouched.
  const related = useRelatedEntries(open, query);
  const lines = useMemo(
    () =>
      paletteLines(
        related.entries,
        ranked.map((item) => ({ ...item, kindLabel: KIND_LABEL[item.kind] })),
      ),
    [related.entries, ranked],
  );
  const scope = useEnvironment();

  useEffect(() => {
    if (!open) return undefined;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setQuery('');
    setActive(0);
    inputRef.current?.focus();
    return () => before?.focus();
  }, [open]);
  useEffect(() => setActive(0), [query]);

  if (!open) return null;
  const choose = (i: number): void => {
    const e = lines[i];
    if (!e) return;
    setOpen(false);
    e.run();
  };
  const onKey = (e: ReactKeyboardEvent): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(lines.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
    }
  };
  const activeId = lines[active] ? `palette-opt-${active}` : undefined;
  return (
    <div className="overlay palette-overlay" onClick={() => setOpen(false)}>
      <div
        className="dialog palette"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        data-testid="palette"
        onClick={(e) => e.stopPropagation()}
      >
        <input
          ref={inputRef}
          className="palette-input"
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={activeId}
          aria-autocomplete="list"
          placeholder="Find SLOs, incidents, runbooks, jobs, actions…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKey}
          data-testid="palette-input"
        />
        <PaletteOptions lines={lines} related={related} query={query} active={active} onActive={setActive} onChoose={choose} />
        {notes.status ? (
          <p className="palette-notes-status muted small" role="status" data-testid="palette-notes-status">
            {notes.status}
          </p>
        ) : null}
        <div className="palette-foot muted small">
          <span>
            <kbd>↑</kbd> <kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>Esc</kbd> close
          </span>
          <span data-testid="palette-environment">{scope.environment ? `Environment ${scope.environment}` : 'All environments'}</span>
        </div>
      </div>
    </div>
  );
}
