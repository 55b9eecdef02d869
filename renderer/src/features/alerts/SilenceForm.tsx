import { useMemo, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { keepPreviousData } from '@tanstack/react-query';
import type { Matcher } from '@shared/alerts/matchers';
import { MATCH_OPERATORS } from '@shared/alerts/matchers';
import { useAction, useCall } from '../../app/api/hooks';
import { toContractError } from '../../app/api/client';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { SkeletonRows } from '../../app/components/Skeleton';
import { formatTimestamp, zoneLabel } from '../../app/format/time';
import { useNow } from '../../app/state/clock';
import { hrefOf, navigate } from '../../app/state/route';
import { AlertStateBadge, LabelChips } from './common';
import { useAlertsUi } from './alerts-store';
import type { DurationId, MatcherRow, SilenceDraft } from './silence-draft';
import {
  DURATIONS,
  checkDraft,
  createArgs,
  draftFromLabels,
  draftFromMatchers,
  emptyDraft,
  emptyRow,
  endsAtOf,
  matchersOf,
  toLocalInput,
} from './silence-draft';
import { useDebounced } from '../../app/use-debounced';

export interface SilenceSource {
  kind: 'alert' | 'group' | 'silence';
  ref: string;
}

/** Finds what the form starts from (an alert, a group, an older silence), then shows the form. */
export function SilenceFormLoader(props: { connectionId: string; from: SilenceSource | null; defaultCreator: string }): ReactNode {
  const showSuppressed = useAlertsUi((s) => s.showSuppressed);
  const needsGroups = props.from?.kind === 'alert' || props.from?.kind === 'group';
  const groups = useCall(
    'alerts.groups',
    { connectionId: props.connectionId, suppressed: showSuppressed },
    { enabled: needsGroups, staleTime: 30_000 },
  );
  const silences = useCall(
    'alerts.silences',
    { connectionId: props.connectionId },
    { enabled: props.from?.kind === 'silence', staleTime: 30_000 },
  );
  const from = props.from;
  let initial: { draft: SilenceDraft; note: string } | null = null;
  if (!from) initial = { draft: emptyDraft(props.defaultCreator), note: '' };
  else if (from.kind === 'silence') {
    if (silences.data || silences.isError) {
      const all = silences.data ? [...silences.data.active, ...silences.data.pending, ...silences.data.expired] : [];
      const s = all.find((x) => x.id === from.ref);
      initial = s
        ? {
            draft: draftFromMatchers(s.matchers, props.defaultCreator, s.comment),
            note: `Matchers and comment copied from silence ${s.id}.`,
          }
        : { draft: emptyDraft(props.defaultCreator), note: `Silence ${from.ref} was not found; start from scratch.` };
    }
  } else if (groups.data || groups.isError) {
    const list = groups.data?.groups ?? [];
    if (from.kind === 'group') {
      const g = list.find((x) => x.key === from.ref);
      initial = g
        ? { draft: draftFromLabels(g.labels, props.defaultCreator), note: `Matchers from the group labels (receiver ${g.receiver}).` }
        : { draft: emptyDraft(props.defaultCreator), note: 'That alert group is gone; start from scratch.' };
    } else {
      const a = list.flatMap((g) => g.alerts).find((x) => x.fingerprint === from.ref);
      initial = a
        ? {
            draft: draftFromLabels(a.labels, props.defaultCreator),
            note: `Matchers from the labels of ${a.labels.alertname ?? 'the alert'}: remove or widen what should not be pinned.`,
          }
        : { draft: emptyDraft(props.defaultCreator), note: 'That alert has resolved or is gone; start from scratch.' };
    }
  }
  if (!initial) return <SkeletonRows rows={4} label="Loading what to silence" />;
  return <SilenceForm connectionId={props.connectionId} initial={initial.draft} note={initial.note} />;
}

/**
 * The create-silence form: editable matchers (equality and regex), a live preview of the alerts they would
 * silence, end time, creator and comment (both required). Alertmanager's refusal is shown in its own words and
 * nothing typed is lost.
 */
export function SilenceForm(props: { connectionId: string; initial: SilenceDraft; note: string }): ReactNode {
  const [draft, setDraft] = useState<SilenceDraft>(props.initial);
  const [tried, setTried] = useState(false);
  const now = useNow();
  const setFlash = useAlertsUi((s) => s.setFlash);
  const matchers = useMemo(() => matchersOf(draft), [draft]);
  const check = checkDraft(draft, now);
  const create = useAction('alerts.createSilence', {
    invalidates: ['alerts.silences', 'alerts.groups'],
    onSuccess: (r) => {
      setFlash(
        `Silence ${r.silence.id} created: it ${r.silence.state === 'pending' ? 'starts' : 'ends'} ${formatTimestamp(r.silence.state === 'pending' ? r.silence.startsAt : r.silence.endsAt)}.`,
      );
      navigate(hrefOf('alerts', 'silences'));
    },
  });
  const set = (patch: Partial<SilenceDraft>): void => setDraft((d) => ({ ...d, ...patch }));
  const setRow = (key: string, patch: Partial<MatcherRow>): void =>
    setDraft((d) => ({ ...d, matchers: d.matchers.map((r) => (r.key === key ? { ...r, ...patch } : r)) }));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setTried(true);
    if (!check.ok) return;
    create.mutate(createArgs(draft, Date.now(), props.connectionId));
  };
  const rowProblems = new Map<number, string>();
  for (const p of check.matchers) if (p.index !== undefined) rowProblems.set(p.index, p.message);
  const setProblems = check.matchers.filter((p) => p.index === undefined);
  // Indexes of check.matchers count non-empty rows only: map them back to rows.
  const rowIndex = new Map<string, number>();
  let n = 0;
  for (const r of draft.matchers) if (r.name.trim() !== '' || r.value !== '') rowIndex.set(r.key, n++);
  const end = endsAtOf(draft, now);

  return (
    <form className="am-silence-form" onSubmit={submit} noValidate data-testid="silence-form" aria-labelledby="silence-form-title">
      <h2 id="silence-form-title" className="am-section-title">
        New silence
      </h2>
      {props.note ? (
        <p className="muted" data-testid="silence-form-note">
          {props.note}
        </p>
      ) : null}
      <fieldset className="fieldset">
        <legend>Matchers</legend>
        <p className="hint">All must match. A regex (=~, !~) is anchored: it must match the whole value, as in Alertmanager.</p>
        {draft.matchers.map((r, i) => {
          const problem = rowIndex.has(r.key) ? rowProblems.get(rowIndex.get(r.key) ?? -1) : undefined;
          return (
            <div key={r.key} className="am-matcher-row" data-testid="matcher-row">
              <input
                type="text"
                aria-label={`Label name ${i + 1}`}
                placeholder="label"
                value={r.name}
                spellCheck={false}
                onChange={(e) => setRow(r.key, { name: e.target.value })}
                aria-invalid={problem !== undefined}
                data-testid="matcher-name"
              />
              <select
                aria-label={`Operator ${i + 1}`}
                value={r.op}
                onChange={(e) => setRow(r.key, { op: e.target.value as MatcherRow['op'] })}
                data-testid="matcher-op"
              >
                {MATCH_OPERATORS.map((op) => (
                  <option key={op} value={op}>
                    {op}
                  </option>
                ))}
              </select>
              <input
                type="text"
                aria-label={`Value ${i + 1}`}
                placeholder="value"
                value={r.value}
                spellCheck={false}
                onChange={(e) => setRow(r.key, { value: e.target.value })}
                aria-invalid={problem !== undefined}
                data-testid="matcher-value"
              />
              <button
                type="button"
                className="btn btn-small"
                aria-label={`Remove matcher ${i + 1}`}
                onClick={() => setDraft((d) => ({ ...d, matchers: d.matchers.filter((x) => x.key !== r.key) }))}
                data-testid="matcher-remove"
              >
                Remove
              </button>
              {problem ? (
                <p className="field-error" data-testid="matcher-problem">
                  {problem}
                </p>
              ) : null}
            </div>
          );
        })}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setDraft((d) => ({ ...d, matchers: [...d.matchers, emptyRow()] }))}
          data-testid="matcher-add"
        >
          Add matcher
        </button>
        {setProblems.map((p) => (
          <p key={p.message} className="field-error" data-testid="matchers-problem">
            {p.message} (checked here as Alertmanager checks it; its own answer on create decides)
          </p>
        ))}
        {tried && check.fields.matchers ? (
          <p className="field-error" data-testid="matchers-missing">
            {check.fields.matchers}
          </p>
        ) : null}
      </fieldset>
      <Preview connectionId={props.connectionId} matchers={matchers} />
      <fieldset className="fieldset">
        <legend>Duration and reason</legend>
        <div className="field-row">
          <div className="field">
            <label htmlFor="silence-duration">Ends after</label>
            <select
              id="silence-duration"
              value={draft.duration}
              onChange={(e) => {
                const duration = e.target.value as DurationId;
                set(
                  duration === 'custom' && !draft.customEnd
                    ? { duration, customEnd: toLocalInput(Date.now() + 2 * 3_600_000) }
                    : { duration },
                );
              }}
              data-testid="silence-duration"
            >
              {DURATIONS.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label}
                </option>
              ))}
              <option value="custom">at a time…</option>
            </select>
          </div>
          {draft.duration === 'custom' ? (
            <div className="field">
              <label htmlFor="silence-end">Ends at ({zoneLabel()})</label>
              <input
                id="silence-end"
                type="datetime-local"
                value={draft.customEnd}
                onChange={(e) => set({ customEnd: e.target.value })}
                aria-invalid={tried && check.fields.end !== undefined}
                data-testid="silence-end"
              />
            </div>
          ) : null}
          <p className="hint am-end-hint" data-testid="silence-end-preview">
            {end ? `until ${formatTimestamp(end)}` : ''}
          </p>
        </div>
        {tried && check.fields.end ? <p className="field-error">{check.fields.end}</p> : null}
        <div className="field-row">
          <div className="field">
            <label htmlFor="silence-creator">
              Created by{' '}
              <span className="required" aria-hidden="true">
                *
              </span>
            </label>
            <input
              id="silence-creator"
              type="text"
              value={draft.createdBy}
              onChange={(e) => set({ createdBy: e.target.value })}
              aria-invalid={tried && check.fields.createdBy !== undefined}
              aria-describedby={tried && check.fields.createdBy ? 'silence-creator-error' : undefined}
              data-testid="silence-creator"
            />
            {tried && check.fields.createdBy ? (
              <p id="silence-creator-error" className="field-error">
                {check.fields.createdBy}
              </p>
            ) : null}
          </div>
          <div className="field am-comment-field">
            <label htmlFor="silence-comment">
              Comment{' '}
              <span className="required" aria-hidden="true">
                *
              </span>
            </label>
            <textarea
              id="silence-comment"
              rows={2}
              value={draft.comment}
              onChange={(e) => set({ comment: e.target.value })}
              placeholder="Why, and the change or incident number"
              aria-invalid={tried && check.fields.comment !== undefined}
              aria-describedby={tried && check.fields.comment ? 'silence-comment-error' : undefined}
              data-testid="silence-comment-input"
            />
            {tried && check.fields.comment ? (
              <p id="silence-comment-error" className="field-error">
                {check.fields.comment}
              </p>
            ) : null}
          </div>
        </div>
      </fieldset>
      {tried && !check.ok ? (
        <p className="form-invalid" role="alert" data-testid="silence-form-invalid">
          The silence cannot be sent yet: see the marked fields.
        </p>
      ) : null}
      {create.error ? (
        <ErrorPanel error={toContractError(create.error)} title="Alertmanager did not create the silence" testId="silence-error" />
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending} data-testid="silence-submit">
          {create.isPending ? 'Creating…' : 'Create silence'}
        </button>
        <a className="btn" href={hrefOf('alerts', 'silences')} data-testid="silence-cancel">
          Cancel
        </a>
      </div>
    </form>
  );
}

function Preview(props: { connectionId: string; matchers: Matcher[] }): ReactNode {
  const matchers = useDebounced(props.matchers, 300);
  const query = useCall(
    'alerts.previewSilence',
    { connectionId: props.connectionId, matchers },
    { enabled: matchers.length > 0, placeholderData: keepPreviousData, staleTime: 5_000 },
  );
  return (
    <section className="fieldset am-preview" aria-live="polite" data-testid="silence-preview">
      <h3>Would silence</h3>
      {matchers.length === 0 ? (
        <p className="muted small">Add a matcher to see which alerts it would silence.</p>
      ) : query.error ? (
        <ErrorPanel error={toContractError(query.error)} title="The preview could not be loaded" testId="silence-preview-error" />
      ) : !query.data ? (
        <SkeletonRows rows={2} label="Checking which alerts match" />
      ) : (
        <>
          <p className="small" data-testid="silence-preview-count">
            {query.data.problems.some((p) => p.index !== undefined)
              ? 'Fix the marked matchers to see the preview.'
              : `${query.data.matching.length} of ${query.data.considered} current alerts`}
            {query.isFetching ? <span className="muted"> · updating…</span> : null}
          </p>
          <ul className="am-preview-list">
            {query.data.matching.slice(0, 50).map((a) => (
              <li key={a.fingerprint} data-testid="silence-preview-alert" data-fingerprint={a.fingerprint}>
                <strong>{a.labels.alertname ?? '(no alertname)'}</strong>{' '}
                <AlertStateBadge alert={{ state: a.state, silencedBy: a.silencedBy, inhibitedBy: [] }} />
                <LabelChips labels={a.labels} omit={['alertname']} />
              </li>
            ))}
          </ul>
          {query.data.matching.length > 50 ? <p className="muted small">…and {query.data.matching.length - 50} more.</p> : null}
        </>
      )}
    </section>
  );
}
