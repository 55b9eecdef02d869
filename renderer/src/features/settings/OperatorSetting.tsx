import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { OperatorName, operatorSignature } from '@shared/app/operator';
import type { UiSettings } from '@shared/settings/model';
import { useAppInfo } from '../../app/api/app-queries';
import { callKey, useAction } from '../../app/api/hooks';
import { toContractError } from '../../app/api/client';
import { ErrorPanel } from '../../app/components/ErrorPanel';

const SOURCE_WORDS = {
  workspace: 'set by the workspace file (operator:), so it cannot be changed here',
  settings: 'chosen here',
  environment: 'from the TOC_OPERATOR environment variable',
  os: 'your operating-system user name',
} as const;

/**
 * Who the console names in every write: work-note signatures, `toc_operator` in AWX jobs, silences' creator,
 * the audit log, and the ServiceNow user "Assign to me" picks (matched by user name or e-mail).
 */
export function OperatorSetting(props: { settings: UiSettings }): ReactNode {
  const qc = useQueryClient();
  const info = useAppInfo();
  const operator = info.data?.operator;
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const update = useAction('settings.update', {
    onSuccess: (s) => {
      qc.setQueryData(callKey('settings.get', {}), s);
      void qc.invalidateQueries({ queryKey: callKey('app.info', {}) });
      setDraft(null);
    },
  });
  const provisioned = operator?.source === 'workspace';
  const value = draft ?? props.settings.operator ?? '';
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (value.trim() === '') {
      setProblem(null);
      update.mutate({ operator: null });
      return;
    }
    const parsed = OperatorName.safeParse(value);
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? 'not a valid name');
      return;
    }
    setProblem(null);
    update.mutate({ operator: parsed.data });
  };
  return (
    <form onSubmit={submit} data-testid="settings-operator">
      <fieldset className="fieldset">
        <legend>Operator</legend>
        <p className="hint">
          Your ServiceNow user name or e-mail. The console signs work notes with it (
          <code>{operatorSignature(operator?.name ?? 'j.doe')}</code>), passes it to AWX jobs as <code>toc_operator</code>, puts it on
          silences and in the audit log, and &ldquo;Assign to me&rdquo; assigns the ServiceNow user it names.
        </p>
        <p data-testid="settings-operator-current">
          Now: <strong>{operator?.name ?? '…'}</strong>
          {operator ? ` — ${SOURCE_WORDS[operator.source]}` : ''}
        </p>
        <label className="field">
          <span>Operator name (empty: {provisioned ? 'the workspace decides' : 'TOC_OPERATOR or your OS user'})</span>
          <input
            value={value}
            onChange={(e) => setDraft(e.target.value)}
            disabled={provisioned || update.isPending}
            placeholder="j.doe or j.doe@example.com"
            aria-invalid={problem !== null}
            aria-describedby={problem ? 'settings-operator-problem' : undefined}
            data-testid="settings-operator-input"
          />
        </label>
        {problem ? (
          <p className="field-error" id="settings-operator-problem" role="alert">
            {problem}
          </p>
        ) : null}
        <button
          type="submit"
          className="btn"
          disabled={provisioned || update.isPending || draft === null}
          data-testid="settings-operator-save"
        >
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
        {update.isError ? (
          <ErrorPanel title="The operator could not be saved" error={toContractError(update.error)} testId="settings-operator-error" />
        ) : null}
      </fieldset>
    </form>
  );
}
