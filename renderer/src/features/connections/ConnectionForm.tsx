import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { AUTH_BY_KIND, CONNECTION_KINDS } from '@shared/connections/model';
import type { AuthType, ConnectionKind, ConnectionView } from '@shared/connections/model';
import { useAction } from '../../app/api/hooks';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { AUTH_LABELS, KIND_LABELS } from '../../app/format/labels';
import { hrefOf } from '../../app/state/route';
import { checkDraft, draftFromView, emptyDraft, fieldErrorsOfServer, SECRET_FIELDS, withKind } from './connection-draft';
import type { ApiBasePath, ConnectionDraft, FieldErrors, SecretFieldName } from './connection-draft';
import { FormField } from './FormField';
import { HeaderRows } from './HeaderRows';
import { SecretInput } from './SecretInput';

export interface ConnectionFormProps {
  /** The connection being edited; absent when adding one. */
  existing?: ConnectionView;
  initialKind?: ConnectionKind;
  onSaved: (view: ConnectionView, created: boolean) => void;
}

/** The id of the first field with an error, to move focus there. */
function firstErrorElement(errors: FieldErrors): HTMLElement | null {
  for (const key of Object.keys(errors)) {
    const el = document.getElementById(`conn-${key.replace(/[^a-z0-9]+/gi, '-')}`);
    if (el) return el;
  }
  return null;
}

/**
 * Add or edit a connection. Checked on the client with the shared ConnectionSpec schema before anything is
 * sent; a refusal from main is shown in main's words, with field errors beside their fields, and everything
 * typed stays in place (secret inputs included) until the save succeeds.
 */
export function ConnectionForm(props: ConnectionFormProps): ReactNode {
  const { existing } = props;
  const editing = existing !== undefined;
  const [draft, setDraft] = useState<ConnectionDraft>(() => (existing ? draftFromView(existing) : emptyDraft(props.initialKind)));
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useAction('connections.save', { invalidates: ['connections.list', 'connections.health'] });

  const set = (patch: Partial<ConnectionDraft>): void => setDraft((d) => ({ ...d, ...patch }));
  const setSecret = (field: SecretFieldName, next: ConnectionDraft['secrets'][SecretFieldName]): void =>
    setDraft((d) => ({ ...d, secrets: { ...d.secrets, [field]: next } }));

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    save.reset();
    const check = checkDraft(draft, existing);
    if (!check.ok) {
      setErrors(check.errors);
      queueMicrotask(() => firstErrorElement(check.errors)?.focus());
      return;
    }
    setErrors({});
    save.mutate(check.request, {
      onSuccess: (view) => {
        // Sent once and kept in main: the typed secrets leave the page now.
        setDraft((d) => ({
          ...d,
          secrets: Object.fromEntries(Object.entries(d.secrets).map(([k, s]) => [k, { ...s, value: '' }])) as ConnectionDraft['secrets'],
        }));
        props.onSaved(view, !editing);
      },
      onError: (err) => setErrors(fieldErrorsOfServer(err.toJSON(), draft)),
    });
  };

  const err = (k: string): string | undefined => errors[k];
  const invalid = Object.keys(errors).length > 0 && !save.isError;

  return (
    <form className="connection-form" onSubmit={onSubmit} noValidate data-testid="connection-form" aria-labelledby="conn-form-title">
      <h2 id="conn-form-title">{editing ? `Edit ${existing.spec.name}` : 'Add a connection'}</h2>

      {save.isError ? <ErrorPanel title="The connection was not saved" error={save.error.toJSON()} testId="conn-form-error" /> : null}
      {invalid ? (
        <p className="form-invalid" role="alert" data-testid="conn-form-invalid">
          Some fields need attention — see the messages below them.{errors['_form'] ? ` ${errors['_form']}` : ''}
        </p>
      ) : null}

      <fieldset className="fieldset">
        <legend>System</legend>
        <div className="field-grid">
          <FormField name="kind" label="Kind" error={err('kind')} required>
            {(a) => (
              <select {...a} value={draft.kind} onChange={(e) => setDraft((d) => withKind(d, e.target.value as ConnectionKind))}>
                {CONNECTION_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField
            name="id"
            label="Id"
            error={err('id')}
            required
            hint={
              editing
                ? 'The id names this connection everywhere and cannot change; add a new connection instead.'
                : 'Letters, digits, "-" and "_", e.g. prom-prod.'
            }
          >
            {(a) => (
              <input
                {...a}
                type="text"
                spellCheck={false}
                value={draft.id}
                readOnly={editing}
                onChange={(e) => set({ id: e.target.value })}
              />
            )}
          </FormField>
          <FormField name="name" label="Name" error={err('name')} required>
            {(a) => <input {...a} type="text" value={draft.name} onChange={(e) => set({ name: e.target.value })} />}
          </FormField>
          <FormField
            name="url"
            label="URL"
            error={err('url')}
            required
            hint={
              draft.kind === 'servicenow'
                ? 'e.g. https://example.service-now.com'
                : draft.kind === 'alertmanager'
                  ? 'e.g. http://alertmanager.example.com:9093'
                  : undefined
            }
          >
            {(a) => <input {...a} type="url" spellCheck={false} value={draft.url} onChange={(e) => set({ url: e.target.value })} />}
          </FormField>
          <FormField
            name="environment"
            label="Environment"
            error={err('environment')}
            hint="A label for the environment switcher: prod, staging, eu-west…"
          >
            {(a) => <input {...a} type="text" value={draft.environment} onChange={(e) => set({ environment: e.target.value })} />}
          </FormField>
        </div>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Authentication</legend>
        <div className="field-grid">
          <FormField name="authType" label="Method" error={err('authType')} required>
            {(a) => (
              <select {...a} value={draft.authType} onChange={(e) => set({ authType: e.target.value as AuthType })}>
                {AUTH_BY_KIND[draft.kind].map((t) => (
                  <option key={t} value={t}>
                    {AUTH_LABELS[t]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          {draft.authType === 'oauth' ? (
            <FormField name="clientId" label="Client id" error={err('clientId')} required>
              {(a) => (
                <input {...a} type="text" spellCheck={false} value={draft.clientId} onChange={(e) => set({ clientId: e.target.value })} />
              )}
            </FormField>
          ) : null}
          {draft.authType === 'basic' || draft.authType === 'oauth' ? (
            <FormField name="username" label="User name" error={err('username')} required>
              {(a) => (
                <input
                  {...a}
                  type="text"
                  spellCheck={false}
                  autoComplete="off"
                  value={draft.username}
                  onChange={(e) => set({ username: e.target.value })}
                />
              )}
            </FormField>
          ) : null}
          {draft.authType === 'mtls' ? (
            <>
              <FormField
                name="certFile"
                label="Client certificate file"
                error={err('certFile')}
                required
                hint="A PEM file path on this machine."
              >
                {(a) => (
                  <input {...a} type="text" spellCheck={false} value={draft.certFile} onChange={(e) => set({ certFile: e.target.value })} />
                )}
              </FormField>
              <FormField name="keyFile" label="Client key file" error={err('keyFile')} required>
                {(a) => (
                  <input {...a} type="text" spellCheck={false} value={draft.keyFile} onChange={(e) => set({ keyFile: e.target.value })} />
                )}
              </FormField>
            </>
          ) : null}
        </div>
        {SECRET_FIELDS[draft.authType].map((def) => (
          <SecretInput
            key={def.field}
            def={def}
            draft={draft.secrets[def.field]}
            existing={existing}
            errors={errors}
            onChange={(next) => setSecret(def.field, next)}
          />
        ))}
      </fieldset>

      <fieldset className="fieldset">
        <legend>Network</legend>
        <div className="field-grid">
          {draft.kind === 'awx' ? (
            <FormField
              name="apiBasePath"
              label="API base path"
              error={err('apiBasePath')}
              hint="Automation Controller behind the platform gateway uses /api/controller/v2/."
            >
              {(a) => (
                <select {...a} value={draft.apiBasePath} onChange={(e) => set({ apiBasePath: e.target.value as ApiBasePath })}>
                  <option value="/api/v2/">/api/v2/ (AWX)</option>
                  <option value="/api/controller/v2/">/api/controller/v2/ (Automation Controller)</option>
                </select>
              )}
            </FormField>
          ) : null}
          <FormField
            name="caFile"
            label="CA certificate file"
            error={err('caFile')}
            hint="For a private CA: a PEM file path. Empty uses the system's trust store."
          >
            {(a) => <input {...a} type="text" spellCheck={false} value={draft.caFile} onChange={(e) => set({ caFile: e.target.value })} />}
          </FormField>
          <FormField name="proxy" label="Proxy URL" error={err('proxy')} hint="e.g. http://proxy.example:3128">
            {(a) => <input {...a} type="url" spellCheck={false} value={draft.proxy} onChange={(e) => set({ proxy: e.target.value })} />}
          </FormField>
          <FormField name="timeout" label="Timeout (seconds)" error={err('timeout')} hint="1 to 300; empty for the default.">
            {(a) => (
              <input
                {...a}
                type="text"
                inputMode="decimal"
                value={draft.timeoutSec}
                onChange={(e) => set({ timeoutSec: e.target.value })}
              />
            )}
          </FormField>
        </div>
        <HeaderRows rows={draft.headers} errors={errors} onChange={(headers) => set({ headers })} />
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="conn-save">
          {save.isPending ? 'Saving…' : editing ? 'Save changes' : 'Add connection'}
        </button>
        <a className="btn" href={hrefOf('settings', 'connections')} data-testid="conn-cancel">
          Cancel
        </a>
      </div>
    </form>
  );
}
