import { AUTH_BY_KIND, ConnectionSpec } from '@shared/connections/model';
import type { AuthType, ConnectionKind, ConnectionView, SecretRef } from '@shared/connections/model';
import type { ContractError } from '@shared/kernel/result';

// The connection form's own model: flat strings the inputs edit, turned into a ConnectionSpec candidate that
// is checked with the very schema main uses. Secret values live here only until they are sent.

export type SecretFieldName = 'password' | 'token' | 'clientSecret' | 'passphrase';
export type SecretSource = 'keychain' | 'env' | 'none';
export type ApiBasePath = '/api/v2/' | '/api/controller/v2/';

export interface SecretDraft {
  source: SecretSource;
  /** A new value typed by the user; never filled from anything stored. */
  value: string;
  envName: string;
}

export interface HeaderRow {
  rowId: number;
  key: string;
  value: string;
}

export interface ConnectionDraft {
  kind: ConnectionKind;
  id: string;
  name: string;
  url: string;
  environment: string;
  authType: AuthType;
  username: string;
  clientId: string;
  certFile: string;
  keyFile: string;
  secrets: Record<SecretFieldName, SecretDraft>;
  caFile: string;
  proxy: string;
  apiBasePath: ApiBasePath;
  timeoutSec: string;
  headers: HeaderRow[];
}

export interface SecretFieldDef {
  field: SecretFieldName;
  label: string;
  /** mTLS keys may be unencrypted. */
  optional: boolean;
}

export const SECRET_FIELDS: Record<AuthType, readonly SecretFieldDef[]> = {
  none: [],
  basic: [{ field: 'password', label: 'Password', optional: false }],
  bearer: [{ field: 'token', label: 'Token', optional: false }],
  mtls: [{ field: 'passphrase', label: 'Key passphrase', optional: true }],
  oauth: [
    { field: 'clientSecret', label: 'Client secret', optional: false },
    { field: 'password', label: 'Password', optional: false },
  ],
};

const blankSecret = (): SecretDraft => ({ source: 'keychain', value: '', envName: '' });

let nextRowId = 1;
export const newHeaderRow = (key = '', value = ''): HeaderRow => ({ rowId: nextRowId++, key, value });

export function emptyDraft(kind: ConnectionKind = 'prometheus'): ConnectionDraft {
  return {
    kind,
    id: '',
    name: '',
    url: '',
    environment: '',
    authType: AUTH_BY_KIND[kind][0] ?? 'none',
    username: '',
    clientId: '',
    certFile: '',
    keyFile: '',
    secrets: {
      password: blankSecret(),
      token: blankSecret(),
      clientSecret: blankSecret(),
      passphrase: { ...blankSecret(), source: 'none' },
    },
    caFile: '',
    proxy: '',
    apiBasePath: '/api/v2/',
    timeoutSec: '',
    headers: [],
  };
}

/** Changing the kind keeps what still applies and picks an auth type the new kind accepts. */
export function withKind(d: ConnectionDraft, kind: ConnectionKind): ConnectionDraft {
  const allowed = AUTH_BY_KIND[kind];
  return { ...d, kind, authType: allowed.includes(d.authType) ? d.authType : (allowed[0] ?? 'none') };
}

function secretDraftOf(ref: SecretRef | undefined): SecretDraft {
  if (!ref) return { source: 'none', value: '', envName: '' };
  return 'env' in ref.secret ? { source: 'env', value: '', envName: ref.secret.env } : blankSecret();
}

export function draftFromView(view: ConnectionView): ConnectionDraft {
  const s = view.spec;
  const d = emptyDraft(s.kind);
  const a = s.auth;
  const secrets = { ...d.secrets };
  if (a.type === 'basic') secrets.password = secretDraftOf(a.password);
  if (a.type === 'bearer') secrets.token = secretDraftOf(a.token);
  if (a.type === 'mtls') secrets.passphrase = secretDraftOf(a.passphrase);
  if (a.type === 'oauth') {
    secrets.clientSecret = secretDraftOf(a.clientSecret);
    secrets.password = secretDraftOf(a.password);
  }
  return {
    ...d,
    id: s.id,
    name: s.name,
    url: s.url,
    environment: s.environment ?? '',
    authType: a.type,
    username: a.type === 'basic' || a.type === 'oauth' ? a.username : '',
    clientId: a.type === 'oauth' ? a.clientId : '',
    certFile: a.type === 'mtls' ? a.certFile : '',
    keyFile: a.type === 'mtls' ? a.keyFile : '',
    secrets,
    caFile: s.caFile ?? '',
    proxy: s.proxy ?? '',
    apiBasePath: s.apiBasePath ?? '/api/v2/',
    timeoutSec: s.timeoutMs !== undefined ? String(s.timeoutMs / 1000) : '',
    headers: Object.entries(s.headers ?? {}).map(([k, v]) => newHeaderRow(k, v)),
  };
}

/** Form field keys: the `name` of each input, and where its error is shown. */
export type FieldKey = string;
export type FieldErrors = Partial<Record<FieldKey, string>>;

export interface SaveRequest {
  spec: ConnectionSpec;
  secrets?: Record<string, string>;
}

export type DraftCheck = { ok: true; request: SaveRequest } | { ok: false; errors: FieldErrors };

/** Builds the save request and checks it with the shared ConnectionSpec schema, field by field. */
export function checkDraft(d: ConnectionDraft, existing: ConnectionView | undefined): DraftCheck {
  const errors: FieldErrors = {};
  const id = d.id.trim();
  const existingRef = (field: string): SecretRef | undefined => existing?.secrets.find((s) => s.field === field)?.ref;
  const ref = (field: SecretFieldName): SecretRef | undefined => {
    const s = d.secrets[field];
    if (s.source === 'none') return undefined;
    if (s.source === 'env') return { secret: { env: s.envName.trim() } };
    const kept = existingRef(field);
    // Main moves a typed value to this connection's own keychain account; an untouched field keeps its reference.
    if (kept && 'keychain' in kept.secret && s.value === '') return kept;
    return { secret: { keychain: `${id}:${field}` } };
  };
  const auth = authOf(d, ref);

  const headers: Record<string, string> = {};
  const seen = new Map<string, number>();
  for (const row of d.headers) {
    const key = row.key.trim();
    if (key === '' && row.value === '') continue;
    if (key === '') {
      errors[`header.${row.rowId}`] = 'a header name is required';
      continue;
    }
    if (seen.has(key.toLowerCase())) {
      errors[`header.${row.rowId}`] = `"${key}" is already set above`;
      continue;
    }
    seen.set(key.toLowerCase(), row.rowId);
    headers[key] = row.value;
  }

  let timeoutMs: number | undefined;
  const t = d.timeoutSec.trim();
  if (t !== '') {
    const n = Number(t);
    if (!Number.isFinite(n)) errors['timeout'] = 'enter the timeout in seconds, e.g. 30';
    else timeoutMs = Math.round(n * 1000);
  }

  const candidate = {
    id,
    kind: d.kind,
    name: d.name.trim(),
    url: d.url.trim(),
    auth,
    ...(d.caFile.trim() ? { caFile: d.caFile.trim() } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(d.proxy.trim() ? { proxy: d.proxy.trim() } : {}),
    ...(d.kind === 'awx' ? { apiBasePath: d.apiBasePath } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(d.environment.trim() ? { environment: d.environment.trim() } : {}),
  };

  const parsed = ConnectionSpec.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = fieldKeyOfPath(issue.path.map(String), d);
      const friendly =
        key === 'timeout'
          ? 'enter a timeout between 1 and 300 seconds'
          : key.startsWith('header.')
            ? 'not a valid header name: use letters, digits and "-"'
            : issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1
              ? 'required'
              : issue.message;
      errors[key] ??= friendly;
    }
  }

  const secrets: Record<string, string> = {};
  for (const def of SECRET_FIELDS[d.authType]) {
    const s = d.secrets[def.field];
    if (s.source === 'keychain' && s.value !== '') secrets[def.field] = s.value;
  }

  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request: { spec: parsed.data, ...(Object.keys(secrets).length ? { secrets } : {}) } };
}

function authOf(d: ConnectionDraft, ref: (f: SecretFieldName) => SecretRef | undefined): unknown {
  switch (d.authType) {
    case 'none':
      return { type: 'none' };
    case 'basic':
      return { type: 'basic', username: d.username.trim(), password: ref('password') };
    case 'bearer':
      return { type: 'bearer', token: ref('token') };
    case 'mtls': {
      const passphrase = ref('passphrase');
      return { type: 'mtls', certFile: d.certFile.trim(), keyFile: d.keyFile.trim(), ...(passphrase ? { passphrase } : {}) };
    }
    case 'oauth':
      return {
        type: 'oauth',
        clientId: d.clientId.trim(),
        clientSecret: ref('clientSecret'),
        username: d.username.trim(),
        password: ref('password'),
      };
  }
}

const TOP_LEVEL: Record<string, FieldKey> = {
  id: 'id',
  kind: 'kind',
  name: 'name',
  url: 'url',
  environment: 'environment',
  caFile: 'caFile',
  proxy: 'proxy',
  apiBasePath: 'apiBasePath',
  timeoutMs: 'timeout',
};

const AUTH_FIELDS: Record<string, FieldKey> = {
  type: 'authType',
  username: 'username',
  clientId: 'clientId',
  certFile: 'certFile',
  keyFile: 'keyFile',
  password: 'secret.password',
  token: 'secret.token',
  clientSecret: 'secret.clientSecret',
  passphrase: 'secret.passphrase',
};

/** Where an error about a spec path belongs on the form; '_form' when no single field owns it. */
export function fieldKeyOfPath(path: readonly string[], d: ConnectionDraft): FieldKey {
  const [head, second] = path;
  if (head === undefined) return '_form';
  if (head === 'auth') return (second !== undefined ? AUTH_FIELDS[second] : undefined) ?? 'authType';
  if (head === 'headers') {
    const row = d.headers.find((r) => r.key.trim() === second);
    return row ? `header.${row.rowId}` : '_form';
  }
  if (head === 'secrets' && second !== undefined) return `secret.${second}`;
  return TOP_LEVEL[head] ?? '_form';
}

/** Field errors the server sent (dispatcher schema issues, AWX-style field errors) placed on the form. */
export function fieldErrorsOfServer(error: ContractError, d: ConnectionDraft): FieldErrors {
  const out: FieldErrors = {};
  for (const f of error.detail?.fields ?? []) {
    const parts = f.path.split('.').filter((p) => p !== '');
    const rel = parts[0] === 'spec' ? parts.slice(1) : parts;
    const key = fieldKeyOfPath(rel, d);
    if (key !== '_form') out[key] ??= f.message;
  }
  return out;
}
