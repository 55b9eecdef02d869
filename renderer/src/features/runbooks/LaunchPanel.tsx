import { useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { IncidentRef, LaunchForm, SurveyQuestion } from '@shared/jobs/model';
import { launchTarget } from '@shared/jobs/jobs';
import { hasSavedPassword, initialAnswer, prepareAnswers, rawFromValue } from '@shared/runbooks/survey';
import type { RawAnswer, RawAnswers } from '@shared/runbooks/survey';
import { toContractError } from '../../app/api/client';
import { useAction, useCall } from '../../app/api/hooks';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { QueryState } from '../../app/components/QueryState';
import { SkeletonRows } from '../../app/components/Skeleton';
import { navigate } from '../../app/state/route';
import { jobKey, useLaunchStore } from '../jobs';
import { formatDateTime } from '../../app/format/time';

// The launch form: built from AWX's `…/launch/` answer and the template's survey, checked here before anything
// is sent, then AWX's own answer (its field errors, its ignored_fields). A production launch needs the target's
// name typed; main checks it again. The button is disabled while the request is in flight, and a failed launch
// is never sent again by itself: what was typed stays for the engineer to fix and send.

export interface LaunchTargetRef {
  connectionId?: string;
  templateId?: number;
  templateName?: string;
  runbookId?: string;
}

export interface LaunchPanelProps {
  target: LaunchTargetRef;
  runbookTitle?: string | null;
  /** Values to start from (a runbook's extra vars, filled from the incident). */
  prefill?: { vars: Record<string, unknown>; limit: string | null; missing?: string[] };
  incident?: IncidentRef | null;
}

export function LaunchPanel(props: LaunchPanelProps): ReactNode {
  const form = useCall('jobs.launchForm', props.target, { staleTime: 30_000 });
  return (
    <QueryState
      query={form}
      skeleton={<SkeletonRows rows={4} label="Reading the launch form from AWX…" />}
      errorTitle="The launch form could not be read from AWX"
    >
      {(f) => <LaunchFormBody form={f} {...props} />}
    </QueryState>
  );
}

function asText(vars: Record<string, unknown>): string {
  return Object.keys(vars).length ? JSON.stringify(vars, null, 2) : '';
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function LaunchFormBody(props: LaunchPanelProps & { form: LaunchForm }): ReactNode {
  const { form } = props;
  const questions = form.survey?.questions ?? [];
  const surveyVars = new Set(questions.map((q) => q.variable));
  const prefillVars = props.prefill?.vars ?? {};
  const [raw, setRaw] = useState<RawAnswers>(() =>
    Object.fromEntries(
      questions.map((q) => [q.variable, q.variable in prefillVars ? rawFromValue(q, prefillVars[q.variable]) : initialAnswer(q)]),
    ),
  );
  const otherVars = Object.fromEntries(Object.entries(prefillVars).filter(([k]) => !surveyVars.has(k)));
  const [extraText, setExtraText] = useState(() => asText(otherVars));
  const [limit, setLimit] = useState(() => props.prefill?.limit ?? '');
  const [typed, setTyped] = useState('');
  const [tried, setTried] = useState(false);
  const remember = useLaunchStore((s) => s.remember);
  const formRef = useRef<HTMLFormElement>(null);
  const launch = useAction('jobs.launch', {
    invalidates: ['jobs.list'],
    onSuccess: (r) => {
      remember(jobKey(r.job.connectionId, r.job.id), {
        warnings: r.warnings,
        workNote: r.workNote,
        incident: props.incident ?? null,
        runbookTitle: props.runbookTitle ?? null,
      });
      navigate({ view: 'jobs', path: [r.job.connectionId, String(r.job.id)] });
    },
  });

  const prepared = prepareAnswers(questions, raw);
  const errors = tried ? prepared.errors : {};
  const sentExtra = form.askVariables ? parseObject(extraText) : otherVars;
  const production = form.production.production;
  const target = launchTarget(form.defaults, form.template.name, {
    limit: form.askLimit ? limit : '',
    vars: { ...sentExtra, ...prepared.values },
  });
  const confirmed = !production || typed.trim() === target;
  const invalid = Object.keys(prepared.errors).length > 0;
  const serverError = launch.error ? toContractError(launch.error) : null;

  const set = (variable: string, value: RawAnswer): void => setRaw((r) => ({ ...r, [variable]: value }));

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setTried(true);
    if (invalid) {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    if (!confirmed || launch.isPending) return;
    launch.mutate({
      connectionId: form.template.connectionId,
      templateId: form.template.id,
      ...(props.target.runbookId ? { runbookId: props.target.runbookId } : {}),
      answers: prepared.values,
      ...(form.askVariables
        ? extraText.trim()
          ? { extraVarsText: extraText }
          : {}
        : Object.keys(otherVars).length
          ? { extraVars: otherVars }
          : {}),
      ...(form.askLimit && limit.trim() ? { limit: limit.trim() } : {}),
      ...(props.incident ? { incident: props.incident } : {}),
      ...(production ? { confirmTarget: typed.trim() } : {}),
    });
  };

  return (
    <form
      ref={formRef}
      className="launch-form fieldset"
      onSubmit={submit}
      noValidate
      aria-label={`Launch ${form.template.name}`}
      data-testid="launch-form"
      data-template={form.template.id}
    >
      <h3>
        Launch <span className="launch-template">{form.template.name}</span>{' '}
        <span className="muted small">on {form.template.connectionName}</span>
      </h3>
      {form.template.description ? <p className="muted">{form.template.description}</p> : null}
      {props.incident ? (
        <p className="hint" data-testid="launch-incident">
          For incident <strong>{props.incident.number}</strong>: work notes are added when the job starts and when it ends.
        </p>
      ) : null}
      {props.prefill?.missing?.length ? (
        <p className="hint tone-warn-fg" data-testid="launch-missing">
          The incident has no value for {props.prefill.missing.join(', ')}; fill them in below.
        </p>
      ) : null}
      {form.offline ? (
        <p className="form-invalid" data-testid="launch-offline">
          Offline copy of this form (synced {formatDateTime(form.offline.syncedAt, { seconds: false })}): it cannot be launched until{' '}
          {form.template.connectionName} answers again. {form.offline.reason}
        </p>
      ) : !form.template.canLaunch ? (
        <p className="form-invalid" data-testid="launch-no-permission">
          This AWX user may not launch this template (no execute permission).
        </p>
      ) : null}
      {form.passwordsNeeded.length ? (
        <p className="form-invalid">
          AWX needs credential passwords to start this template ({form.passwordsNeeded.join(', ')}); launch it from AWX.
        </p>
      ) : null}

      {questions.length ? (
        <fieldset className="survey">
          <legend>{form.survey?.name || 'Survey'}</legend>
          {form.survey?.description ? <p className="hint">{form.survey.description}</p> : null}
          <div className="field-grid">
            {questions.map((q) => (
              <SurveyField key={q.variable} q={q} value={raw[q.variable]} error={errors[q.variable]} onChange={(v) => set(q.variable, v)} />
            ))}
          </div>
        </fieldset>
      ) : null}

      {form.askVariables ? (
        <div className="field field-wide">
          <label htmlFor="launch-extra-vars">Extra variables (YAML or JSON)</label>
          <textarea
            id="launch-extra-vars"
            rows={5}
            value={extraText}
            onChange={(e) => setExtraText(e.target.value)}
            spellCheck={false}
            data-testid="launch-extra-vars"
          />
          <span className="hint">
            On top of the template&apos;s own:{' '}
            {form.defaults.extraVars.trim() && form.defaults.extraVars.trim() !== '---' ? (
              <code>{form.defaults.extraVars.trim().replace(/^---\s*/, '')}</code>
            ) : (
              'none'
            )}
          </span>
        </div>
      ) : Object.keys(otherVars).length ? (
        <p className="hint" data-testid="launch-unprompted-vars">
          The runbook also sets {Object.keys(otherVars).join(', ')}; AWX ignores variables the template does not prompt for, and will say
          so.
        </p>
      ) : null}
      {form.askLimit ? (
        <div className="field">
          <label htmlFor="launch-limit">Limit (hosts)</label>
          <input
            id="launch-limit"
            type="text"
            value={limit}
            placeholder={form.defaults.limit || 'all hosts of the inventory'}
            onChange={(e) => setLimit(e.target.value)}
            data-testid="launch-limit"
          />
        </div>
      ) : null}

      {production ? (
        <div className="confirm-prod" role="group" aria-labelledby="prod-confirm-label" data-testid="launch-production">
          <p id="prod-confirm-label">
            <strong>Production.</strong> {form.production.reasons.join('; ')}. Type{' '}
            <code data-testid="launch-production-target">{target}</code> to confirm.
          </p>
          <input
            type="text"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            aria-label={`Type ${target} to confirm`}
            autoComplete="off"
            data-testid="launch-confirm-input"
          />
        </div>
      ) : null}

      {tried && invalid ? (
        <p className="form-invalid" role="alert" data-testid="launch-invalid">
          Fix the marked answers; nothing was sent.
        </p>
      ) : null}
      {serverError ? <ErrorPanel error={serverError} title="AWX did not launch the job" testId="launch-error" /> : null}
      <div className="form-actions">
        <button
          type="submit"
          className={production ? 'btn btn-danger' : 'btn btn-primary'}
          disabled={launch.isPending || !form.template.canLaunch || !confirmed}
          data-testid="launch-submit"
        >
          {launch.isPending ? 'Launching…' : production ? 'Launch in production' : 'Launch'}
        </button>
        {production && !confirmed ? <span className="muted small">Type the target&apos;s name to enable the launch.</span> : null}
      </div>
    </form>
  );
}

function SurveyField(props: {
  q: SurveyQuestion;
  value: RawAnswer | undefined;
  error: string | undefined;
  onChange: (v: RawAnswer) => void;
}): ReactNode {
  const { q, error } = props;
  const id = `survey-${q.variable}`;
  const text = Array.isArray(props.value) ? (props.value[0] ?? '') : (props.value ?? '');
  const bounds =
    q.type === 'integer' || q.type === 'float'
      ? [q.min !== null ? `≥ ${q.min}` : '', q.max !== null ? `≤ ${q.max}` : ''].filter(Boolean).join(', ')
      : q.type === 'text' || q.type === 'textarea' || q.type === 'password'
        ? [q.min !== null && q.min > 0 ? `at least ${q.min}` : '', q.max !== null ? `at most ${q.max} characters` : '']
            .filter(Boolean)
            .join(', ')
        : '';
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    'data-testid': id,
  } as const;
  let control: ReactNode;
  switch (q.type) {
    case 'textarea':
      control = <textarea {...common} rows={3} value={text} onChange={(e) => props.onChange(e.target.value)} />;
      break;
    case 'password':
      control = (
        <input
          {...common}
          type="password"
          autoComplete="off"
          value={text}
          placeholder={hasSavedPassword(q) ? 'saved default is kept' : ''}
          onChange={(e) => props.onChange(e.target.value)}
        />
      );
      break;
    case 'integer':
    case 'float':
      control = (
        <input
          {...common}
          type="text"
          inputMode={q.type === 'integer' ? 'numeric' : 'decimal'}
          value={text}
          onChange={(e) => props.onChange(e.target.value)}
        />
      );
      break;
    case 'multiplechoice':
      control = (
        <select {...common} value={text} onChange={(e) => props.onChange(e.target.value)}>
          {!q.required || text === '' ? <option value="">{q.required ? 'Choose…' : '(none)'}</option> : null}
          {q.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      );
      break;
    case 'multiselect': {
      const chosen = Array.isArray(props.value) ? props.value : [];
      control = (
        <div className="choice-list" role="group" aria-labelledby={`${id}-label`} data-testid={id} aria-invalid={error ? true : undefined}>
          {q.choices.map((c) => (
            <label key={c} className="checkbox">
              <input
                type="checkbox"
                checked={chosen.includes(c)}
                onChange={(e) => props.onChange(e.target.checked ? [...chosen, c] : chosen.filter((x) => x !== c))}
                data-testid={`${id}-${c}`}
              />
              {c}
            </label>
          ))}
        </div>
      );
      break;
    }
    default:
      control = <input {...common} type="text" value={text} onChange={(e) => props.onChange(e.target.value)} />;
  }
  return (
    <div className="field">
      <label htmlFor={q.type === 'multiselect' ? undefined : id} id={`${id}-label`}>
        {q.question}
        {q.required ? <span className="required"> *</span> : null}
      </label>
      {control}
      {q.description ? <span className="hint">{q.description}</span> : null}
      {bounds ? <span className="hint">{bounds}</span> : null}
      {error ? (
        <p className="field-error" id={`${id}-error`} data-testid={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
