import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { UiSettings } from '@shared/settings/model';
import { useSettings } from '../../app/api/app-queries';
import { callKey, useAction } from '../../app/api/hooks';
import { toContractError } from '../../app/api/client';
import { QueryState } from '../../app/components/QueryState';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { useUiStore } from '../../app/state/ui';
import type { Theme } from '../../app/state/ui';
import { StartAtLogin } from '../workstation';
import { OperatorSetting } from './OperatorSetting';
import { formatDateTime, zoneLabel } from '../../app/format/time';

const NOTIFICATIONS: { key: keyof UiSettings['notifications']; label: string; hint: string }[] = [
  { key: 'newP1P2', label: 'New P1 and P2 incidents', hint: 'A desktop notification when a priority 1 or 2 incident opens.' },
  { key: 'burnAlerts', label: 'Error budget burn alerts', hint: 'When an SLO starts burning its budget fast.' },
  { key: 'jobFinished', label: 'Job finished', hint: 'When a job you launched ends, with its result.' },
];

const THEMES: { id: Theme; label: string }[] = [
  { id: 'dark', label: 'Dark' },
  { id: 'light', label: 'Light' },
];

function ThemeSwitch(): ReactNode {
  const qc = useQueryClient();
  const theme = useUiStore((s) => s.theme);
  const setTheme = useUiStore((s) => s.setTheme);
  const update = useAction('settings.update', {
    onSuccess: (s) => qc.setQueryData(callKey('settings.get', {}), s),
  });
  const choose = (next: Theme): void => {
    const before = theme;
    // The page changes at once; if main refuses, it changes back and says why.
    setTheme(next);
    update.mutate({ theme: next }, { onError: () => setTheme(before) });
  };
  return (
    <fieldset className="fieldset">
      <legend>Theme</legend>
      <div className="radio-row" role="radiogroup">
        {THEMES.map((t) => (
          <label key={t.id} className="radio">
            <input
              type="radio"
              name="theme"
              value={t.id}
              checked={theme === t.id}
              onChange={() => choose(t.id)}
              disabled={update.isPending}
              data-testid={`settings-theme-${t.id}`}
            />
            {t.label}
          </label>
        ))}
      </div>
      {update.isError ? (
        <ErrorPanel title="The theme could not be saved" error={toContractError(update.error)} testId="settings-theme-error" />
      ) : null}
    </fieldset>
  );
}

function NotificationToggles(props: { settings: UiSettings }): ReactNode {
  const qc = useQueryClient();
  const update = useAction('settings.update', {
    onSuccess: (s) => qc.setQueryData(callKey('settings.get', {}), s),
  });
  return (
    <fieldset className="fieldset">
      <legend>Notifications</legend>
      {NOTIFICATIONS.map((n) => {
        const pendingValue = update.isPending ? update.variables.notifications?.[n.key] : undefined;
        const checked = pendingValue ?? props.settings.notifications[n.key];
        return (
          <label key={n.key} className="checkbox">
            <input
              type="checkbox"
              checked={checked}
              disabled={update.isPending}
              onChange={(e) => update.mutate({ notifications: { [n.key]: e.target.checked } })}
              data-testid={`settings-notify-${n.key}`}
            />
            <span>
              {n.label}
              <span className="hint">{n.hint}</span>
            </span>
          </label>
        );
      })}
      {update.isError ? (
        <ErrorPanel title="The setting could not be saved" error={toContractError(update.error)} testId="settings-notify-error" />
      ) : null}
    </fieldset>
  );
}

/** Every date and time on screen in the computer's zone or in UTC: one setting, every view. */
function TimeZoneSetting(props: { settings: UiSettings }): ReactNode {
  const qc = useQueryClient();
  const update = useAction('settings.update', {
    onSuccess: (s) => qc.setQueryData(callKey('settings.get', {}), s),
  });
  const current = (update.isPending ? update.variables.timeZone : undefined) ?? props.settings.timeZone ?? 'local';
  const options = [
    {
      value: 'local' as const,
      label: `This computer's zone (${zoneLabel('local')})`,
      example: formatDateTime(Date.now(), { zone: 'local', seconds: false }),
    },
    { value: 'utc' as const, label: 'UTC', example: formatDateTime(Date.now(), { zone: 'utc', seconds: false }) },
  ];
  return (
    <fieldset className="fieldset" data-testid="settings-time-zone">
      <legend>Time zone</legend>
      {options.map((o) => (
        <label key={o.value} className="checkbox">
          <input
            type="radio"
            name="time-zone"
            checked={current === o.value}
            disabled={update.isPending}
            onChange={() => update.mutate({ timeZone: o.value })}
            data-testid={`settings-time-zone-${o.value}`}
          />
          <span>
            {o.label}
            <span className="hint">{o.example}</span>
          </span>
        </label>
      ))}
      {update.isError ? (
        <ErrorPanel title="The setting could not be saved" error={toContractError(update.error)} testId="settings-time-zone-error" />
      ) : null}
    </fieldset>
  );
}

export default function GeneralSettings(): ReactNode {
  const settings = useSettings();
  return (
    <div className="settings-general" data-testid="settings-general">
      <ThemeSwitch />
      <QueryState query={settings} errorTitle="Settings could not be read">
        {(s) => (
          <>
            <OperatorSetting settings={s} />
            <TimeZoneSetting settings={s} />
            <NotificationToggles settings={s} />
            <StartAtLogin settings={s} />
          </>
        )}
      </QueryState>
    </div>
  );
}
