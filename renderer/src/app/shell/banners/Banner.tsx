import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { DEFAULT_UI_SETTINGS } from '@shared/settings/model';
import type { UiSettings } from '@shared/settings/model';
import { useSettings } from '../../api/app-queries';
import { callKey, useAction } from '../../api/hooks';
import { ErrorIcon, InfoIcon, WarnIcon } from '../../components/icons';

const ICON = { info: InfoIcon, warn: WarnIcon, error: ErrorIcon } as const;

/**
 * One notice in the banner area. Long-lived conditions (a missing keychain on a wall PC) can be folded to their
 * title line so they stop eating the screen, but never hidden entirely while the condition lasts. Folding is
 * one setting for every foldable banner (settings.bannersCollapsed), so "Less" is remembered across reloads
 * and restarts; it is applied at once and kept if main is slow to confirm.
 */
function useFolded(): [boolean, () => void] {
  const settings = useSettings();
  const qc = useQueryClient();
  const update = useAction('settings.update', { onSuccess: (s) => qc.setQueryData(callKey('settings.get', {}), s) });
  const folded = settings.data?.bannersCollapsed ?? false;
  const toggle = (): void => {
    const next = !folded;
    // A read still in flight would land after this and undo it.
    void qc.cancelQueries({ queryKey: callKey('settings.get', {}) });
    qc.setQueryData<UiSettings>(callKey('settings.get', {}), (s) => ({ ...(s ?? DEFAULT_UI_SETTINGS), bannersCollapsed: next }));
    update.mutate(
      { bannersCollapsed: next },
      { onError: () => qc.setQueryData<UiSettings>(callKey('settings.get', {}), (s) => (s ? { ...s, bannersCollapsed: !next } : s)) },
    );
  };
  return [folded, toggle];
}

export function Banner(props: {
  tone: 'info' | 'warn' | 'error';
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  testId: string;
  foldable?: boolean;
}): ReactNode {
  const [foldSetting, toggle] = useFolded();
  const folded = (props.foldable ?? false) && foldSetting;
  const Icon = ICON[props.tone];
  const bodyId = `${props.testId}-body`;
  return (
    <section
      className={`banner banner-${props.tone}${folded ? ' banner-folded' : ''}`}
      role={props.tone === 'info' ? 'status' : 'alert'}
      data-testid={props.testId}
      data-tone={props.tone}
      data-folded={folded}
    >
      <Icon className="icon banner-icon" />
      <div className="banner-body">
        <strong className="banner-title">{props.title}</strong>
        {folded ? null : <div id={bodyId}>{props.children}</div>}
      </div>
      <div className="banner-actions">
        {props.actions}
        {props.foldable ? (
          <button
            type="button"
            className="btn btn-small"
            aria-expanded={!folded}
            aria-controls={bodyId}
            onClick={toggle}
            data-testid={`${props.testId}-fold`}
          >
            {folded ? 'Details' : 'Less'}
          </button>
        ) : null}
      </div>
    </section>
  );
}
