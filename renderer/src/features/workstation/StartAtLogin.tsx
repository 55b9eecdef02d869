import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { UiSettings } from '@shared/settings/model';
import { useAppInfo } from '../../app/api/app-queries';
import { callKey, useAction } from '../../app/api/hooks';
import { toContractError } from '../../app/api/client';
import { ErrorPanel } from '../../app/components/ErrorPanel';

// "Start at login" for the desktop app: off, as a workstation, or as a wall (fullscreen, read-only). Main
// registers it with the OS (installed builds only); a browser on `toc serve` has nothing to register.

const CHOICES: { id: NonNullable<UiSettings['startAtLogin']>; label: string; hint: string }[] = [
  { id: 'off', label: 'Do not start at login', hint: '' },
  { id: 'desktop', label: 'Start at login', hint: 'The console opens when you log in.' },
  { id: 'wall', label: 'Start at login as a wall display', hint: 'Fullscreen and read-only, for a NOC screen that nobody touches.' },
];

export function StartAtLogin(props: { settings: UiSettings }): ReactNode {
  const info = useAppInfo();
  const qc = useQueryClient();
  const update = useAction('settings.update', { onSuccess: (s) => qc.setQueryData(callKey('settings.get', {}), s) });
  if (info.data?.transport !== 'ipc') return null;
  const current = update.isPending ? (update.variables.startAtLogin ?? 'off') : (props.settings.startAtLogin ?? 'off');
  return (
    <fieldset className="fieldset" data-testid="settings-start-at-login">
      <legend>Start at login</legend>
      {CHOICES.map((c) => (
        <label key={c.id} className="radio">
          <input
            type="radio"
            name="start-at-login"
            value={c.id}
            checked={current === c.id}
            disabled={update.isPending}
            onChange={() => update.mutate({ startAtLogin: c.id })}
            data-testid={`settings-login-${c.id}`}
          />
          <span>
            {c.label}
            {c.hint ? <span className="hint">{c.hint}</span> : null}
          </span>
        </label>
      ))}
      {update.isError ? (
        <ErrorPanel title="The setting could not be saved" error={toContractError(update.error)} testId="settings-login-error" />
      ) : null}
    </fieldset>
  );
}
