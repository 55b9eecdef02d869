import type { ConnectionSpec } from '@shared/connections/model';
import { ContractFailure } from '@shared/kernel/result';
import type { ErrorDetail } from '@shared/kernel/result';
import { isRecord } from './awx-values';

// AWX error bodies in every shape it uses (research/awx.md §1, §3, §4): `{"detail": "..."}`; DRF field maps
// `{"extra_vars": ["..."], "__all__": ["..."]}`; relaunch's `{"hosts": "..."}` (a string, not a list),
// `{"errors": [...]}` and `{"msg": "..."}`. Writes read the body as text so all of them can be quoted here.

export interface AwxWords {
  message: string;
  fields: { path: string; message: string }[];
}

/** What AWX said, from a parsed body (or the raw text when it is not JSON). */
export function awxWords(body: unknown): AwxWords | undefined {
  if (typeof body === 'string') {
    const t = body.trim();
    if (t === '') return undefined;
    try {
      return awxWords(JSON.parse(t));
    } catch {
      return { message: t.slice(0, 500), fields: [] };
    }
  }
  if (!isRecord(body)) return undefined;
  if (typeof body.detail === 'string') return { message: body.detail, fields: [] };
  const fields: { path: string; message: string }[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') fields.push({ path: k, message: v });
    else if (Array.isArray(v)) {
      const parts = v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
      if (parts.length) fields.push({ path: k, message: parts.join(' ') });
    } else if (isRecord(v)) fields.push({ path: k, message: JSON.stringify(v) });
  }
  if (fields.length === 0) return undefined;
  const lone = fields.length === 1 && ['msg', 'error', 'errors', '__all__'].includes(fields[0]?.path ?? '');
  return { message: lone ? (fields[0]?.message ?? '') : fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields };
}

const HINT: Record<number, string> = {
  401: 'the token or password of this connection is not valid (or has expired)',
  403: 'this AWX user may not do that (no execute role, or a read-scoped token)',
  404: 'it does not exist on this AWX (or this user may not see it)',
};

/**
 * A failure from the HTTP client (or anything else) as an AWX error: our words, then AWX's quoted, field errors
 * kept for the form. `doing` names a refused write ("refused the launch").
 */
export function awxFailure(e: unknown, spec: ConnectionSpec, doing?: string): ContractFailure {
  if (!(e instanceof ContractFailure)) {
    return new ContractFailure('internal', `${spec.name}: ${(e as Error).message ?? String(e)}`, { connectionId: spec.id });
  }
  const status = e.detail?.status;
  if (status === undefined || e.code === 'login_required' || e.code === 'bad_response') return e;
  const words =
    awxWords(e.detail?.remoteMessage) ??
    (e.detail?.fields?.length
      ? { message: e.detail.fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields: e.detail.fields }
      : undefined);
  const hint = HINT[status];
  const head = doing ? `${spec.name} ${doing} (HTTP ${status})` : `${spec.name} answered HTTP ${status}`;
  const message = `${head}${hint && status !== 400 ? ` — ${hint}` : ''}${words ? `: ${words.message}` : '.'}`;
  const detail: ErrorDetail = {
    ...e.detail,
    connectionId: spec.id,
    ...(words ? { remoteMessage: words.message } : {}),
    ...(words?.fields.length ? { fields: words.fields } : {}),
  };
  return new ContractFailure(e.code, message, detail);
}
