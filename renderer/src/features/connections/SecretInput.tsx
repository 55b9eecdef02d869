import type { ReactNode } from 'react';
import type { ConnectionView } from '@shared/connections/model';
import type { SecretDraft, SecretFieldDef, SecretSource } from './connection-draft';
import { FormField } from './FormField';
import './connections.css';

/**
 * One secret of the auth method. The value input is a password field that is never filled from anything
 * stored: it only says whether a value is stored, and anything typed replaces it on save.
 */
export function SecretInput(props: {
  def: SecretFieldDef;
  draft: SecretDraft;
  existing: ConnectionView | undefined;
  errors: Partial<Record<string, string>>;
  onChange: (next: SecretDraft) => void;
}): ReactNode {
  const { def, draft, existing } = props;
  const name = `secret.${def.field}`;
  const stored = existing?.secrets.find((s) => s.field === def.field);
  const storedKeychain = stored && 'keychain' in stored.ref.secret ? stored : undefined;
  const storedEnv = stored && 'env' in stored.ref.secret ? stored.ref.secret.env : undefined;
  // Environment variables are named only by the workspace file and the CLI: a connection saved here could
  // otherwise send any variable of the console's process to any host. The choice shows only for a draft that
  // already names one, so it can be moved to the keychain.
  const sources: { id: SecretSource; label: string }[] = [
    { id: 'keychain', label: 'OS keychain' },
    ...(draft.source === 'env' ? [{ id: 'env' as const, label: 'Environment variable (workspace file only)' }] : []),
    ...(def.optional ? [{ id: 'none' as const, label: 'None' }] : []),
  ];
  const presence =
    draft.source === 'keychain' && storedKeychain
      ? storedKeychain.present
        ? 'stored ✓'
        : 'missing'
      : draft.source === 'env' && storedEnv !== undefined && storedEnv === draft.envName.trim() && stored
        ? stored.present
          ? 'set ✓'
          : 'not set'
        : null;
  return (
    <fieldset className="fieldset secret-fieldset" data-testid={`conn-secret-${def.field}`}>
      <legend>
        {def.label}
        {presence ? (
          <span
            className={`secret-presence ${presence.includes('✓') ? 'tone-ok-fg' : 'tone-warn-fg'}`}
            data-testid={`conn-secret-${def.field}-presence`}
          >
            {' '}
            — {presence}
          </span>
        ) : null}
      </legend>
      <div className="field-row">
        <FormField name={`${name}.source`} label="Kept in" error={undefined}>
          {(a) => (
            <select {...a} value={draft.source} onChange={(e) => props.onChange({ ...draft, source: e.target.value as SecretSource })}>
              {sources.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
        {draft.source === 'keychain' ? (
          <FormField
            name={name}
            label={storedKeychain?.present ? `New ${def.label.toLowerCase()}` : def.label}
            error={props.errors[name]}
            hint={
              storedKeychain?.present
                ? 'Leave empty to keep the stored value.'
                : 'Stored in the OS keychain when you save; never shown again.'
            }
          >
            {(a) => (
              <input
                {...a}
                type="password"
                autoComplete="new-password"
                spellCheck={false}
                value={draft.value}
                placeholder={storedKeychain?.present ? '•••••• stored' : ''}
                onChange={(e) => props.onChange({ ...draft, value: e.target.value })}
              />
            )}
          </FormField>
        ) : null}
        {draft.source === 'env' ? (
          <FormField
            name={name}
            label="Variable name"
            error={props.errors[name]}
            hint="Only the workspace file (or the CLI) can name an environment variable; choose the OS keychain to save this connection here."
          >
            {(a) => (
              <input
                {...a}
                type="text"
                spellCheck={false}
                value={draft.envName}
                onChange={(e) => props.onChange({ ...draft, envName: e.target.value })}
              />
            )}
          </FormField>
        ) : null}
      </div>
    </fieldset>
  );
}
