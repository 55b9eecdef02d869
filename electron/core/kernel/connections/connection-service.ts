import { ContractFailure } from '@shared/kernel/result';
import { ConnectionSpec, secretRefsOf } from '@shared/connections/model';
import type { ConnectionHealth, ConnectionView, ProbeResult, SecretRef } from '@shared/connections/model';
import type { HttpClient } from '../http/types';
import { createHttpClient } from '../http/http-client';
import { authorizationFor } from './authorization';
import { probeConnection } from './probes';
import type { SettingsService } from '../settings/settings-service';
import type { AuditLog } from '../audit/audit-log';

/** The part of the secret store connections use (the keychain store or its session-only fallback). */
export interface SecretsPort {
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  has(account: string): Promise<boolean>;
}

export interface ConnectionServiceDeps {
  provisioned: () => ConnectionSpec[];
  settings: SettingsService;
  secrets: SecretsPort;
  audit: AuditLog;
  env: Record<string, string | undefined>;
  /** Every secret value read is registered here so logs and the audit can scrub it. */
  onSecretUsed?: (value: string) => void;
  /** Scrubs secret values from probe and health messages, which quote what remote systems said. */
  redact?: (text: string) => string;
}

/** The keychain account of a secret entered in the UI: one account per connection and secret field. */
export const keychainAccount = (connectionId: string, field: string): string => `${connectionId}:${field}`;

export class ConnectionService {
  private clients = new Map<string, { key: string; client: Promise<HttpClient> }>();
  private health = new Map<string, ConnectionHealth>();
  private healthListeners = new Set<(h: ConnectionHealth[]) => void>();
  private healthRefreshMs: number | undefined;

  constructor(private readonly deps: ConnectionServiceDeps) {}

  all(): { spec: ConnectionSpec; provisioned: boolean }[] {
    const prov = this.deps.provisioned();
    const ids = new Set(prov.map((c) => c.id));
    return [
      ...prov.map((spec) => ({ spec, provisioned: true })),
      ...this.deps.settings
        .getConnections()
        .filter((c) => !ids.has(c.id))
        .map((spec) => ({ spec, provisioned: false })),
    ];
  }

  get(id: string): ConnectionSpec {
    const c = this.all().find((x) => x.spec.id === id);
    if (!c) throw new ContractFailure('not_configured', `There is no connection "${id}".`);
    return c.spec;
  }

  byKind(kind: ConnectionSpec['kind']): ConnectionSpec[] {
    return this.all()
      .filter((c) => c.spec.kind === kind)
      .map((c) => c.spec);
  }

  async list(): Promise<ConnectionView[]> {
    return Promise.all(
      this.all().map(async ({ spec, provisioned }) => ({
        spec,
        provisioned,
        secrets: await Promise.all(
          secretRefsOf(spec.auth).map(async ({ field, ref }) => ({ field, ref, present: await this.present(ref) })),
        ),
      })),
    );
  }

  private async present(ref: SecretRef): Promise<boolean> {
    if ('env' in ref.secret) return Boolean(this.deps.env[ref.secret.env]);
    return this.deps.secrets.has(ref.secret.keychain);
  }

  /** Reads a secret at request time; a missing one is an error that says where it was looked for. */
  readonly resolveSecret = async (ref: SecretRef, field: string): Promise<string> => {
    let value: string | null | undefined;
    if ('env' in ref.secret) {
      value = this.deps.env[ref.secret.env];
      if (!value)
        throw new ContractFailure(
          'secret_missing',
          `The ${field} is read from the environment variable ${ref.secret.env}, which is not set.`,
        );
    } else {
      value = await this.deps.secrets.get(ref.secret.keychain);
      if (!value)
        throw new ContractFailure(
          'secret_missing',
          `No ${field} is stored in the keychain for "${ref.secret.keychain}". Set it in Settings → Connections.`,
        );
    }
    this.deps.onSecretUsed?.(value);
    return value;
  };

  /** An HTTP client for the connection, rebuilt when its spec changes. */
  client(id: string): Promise<HttpClient> {
    const spec = this.get(id);
    const key = JSON.stringify(spec);
    const cached = this.clients.get(id);
    if (cached && cached.key === key) return cached.client;
    const mtls = spec.auth.type === 'mtls' ? spec.auth : undefined;
    const baseAuth = authorizationFor(spec, this.resolveSecret);
    // The header itself is secret too (base64 of user:password, an OAuth access token): register it so an
    // error page that echoes it back is scrubbed.
    const authorization = baseAuth
      ? async (o: { refresh: boolean }): Promise<string | null> => {
          const h = await baseAuth(o);
          if (h) {
            this.deps.onSecretUsed?.(h);
            const credential = h.slice(h.indexOf(' ') + 1);
            if (credential !== h) this.deps.onSecretUsed?.(credential);
          }
          return h;
        }
      : undefined;
    const client = createHttpClient({
      name: spec.name,
      connectionId: spec.id,
      baseUrl: spec.url,
      ...(spec.headers ? { headers: spec.headers } : {}),
      ...(authorization ? { authorization } : {}),
      ...(spec.caFile ? { caFile: spec.caFile } : {}),
      ...(spec.proxy ? { proxy: spec.proxy } : {}),
      ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
      ...(mtls
        ? {
            tls: {
              certFile: mtls.certFile,
              keyFile: mtls.keyFile,
              ...(mtls.passphrase ? { passphrase: () => this.resolveSecret(mtls.passphrase as SecretRef, 'passphrase') } : {}),
            },
          }
        : {}),
    });
    // A failed build (unreadable CA file) must not stick: the next call tries again.
    client.catch(() => this.clients.delete(id));
    this.clients.set(id, { key, client });
    return client;
  }

  async test(id: string): Promise<ProbeResult> {
    const spec = this.get(id);
    let result: ProbeResult;
    try {
      result = await probeConnection(spec, await this.client(id));
    } catch (e) {
      const message = e instanceof ContractFailure ? e.message : String(e);
      result = { ok: false, steps: [{ name: 'prepare the connection', ok: false, message }], elapsedMs: 0 };
    }
    const redact = this.deps.redact ?? ((t: string) => t);
    result = { ...result, steps: result.steps.map((st) => ({ ...st, message: redact(st.message) })) };
    this.recordHealth(spec, result.ok, result.ok ? undefined : result.steps.find((s) => !s.ok)?.message);
    return result;
  }

  async save(input: { spec: ConnectionSpec; secrets?: Record<string, string> }): Promise<ConnectionView> {
    const { spec } = input;
    if (this.deps.provisioned().some((c) => c.id === spec.id)) {
      throw new ContractFailure('config', `The connection "${spec.id}" is provisioned by the workspace file and is read-only here.`);
    }
    // Secrets typed in the UI go to the keychain under this connection's own account; the spec keeps the reference.
    const given = input.secrets ?? {};
    const known = new Set(secretRefsOf(spec.auth).map((r) => r.field));
    for (const field of Object.keys(given)) {
      if (!known.has(field))
        throw new ContractFailure('bad_request', `The ${spec.auth.type} auth of this connection has no "${field}" secret.`);
    }
    const auth = rewriteSecretRefs(spec.auth, (field, ref) =>
      field in given ? { secret: { keychain: keychainAccount(spec.id, field) } } : ref,
    );
    const final = ConnectionSpec.parse({ ...spec, auth });
    for (const [field, value] of Object.entries(given)) await this.deps.secrets.set(keychainAccount(spec.id, field), value);
    this.deps.settings.saveConnection(final);
    await this.deps.audit.append({
      action: 'connection.save',
      target: `${final.kind} connection ${final.id}`,
      connectionId: final.id,
      outcome: 'ok',
      ...(Object.keys(given).length ? { message: `secrets updated: ${Object.keys(given).join(', ')}` } : {}),
    });
    const view = (await this.list()).find((v) => v.spec.id === final.id);
    if (!view) throw new ContractFailure('internal', 'The saved connection did not appear in the list.');
    return view;
  }

  async remove(id: string): Promise<boolean> {
    if (this.deps.provisioned().some((c) => c.id === id)) {
      throw new ContractFailure('config', `The connection "${id}" is provisioned by the workspace file; remove it there.`);
    }
    const spec = this.deps.settings.getConnections().find((c) => c.id === id);
    if (!spec) return false;
    for (const { ref } of secretRefsOf(spec.auth)) {
      if ('keychain' in ref.secret && ref.secret.keychain.startsWith(`${id}:`)) await this.deps.secrets.delete(ref.secret.keychain);
    }
    this.deps.settings.removeConnection(id);
    this.clients.delete(id);
    this.health.delete(id);
    await this.deps.audit.append({ action: 'connection.remove', target: `${spec.kind} connection ${id}`, connectionId: id, outcome: 'ok' });
    return true;
  }

  async setSecret(connectionId: string, field: string, value: string): Promise<void> {
    const spec = this.get(connectionId);
    const ref = secretRefsOf(spec.auth).find((r) => r.field === field);
    if (!ref) throw new ContractFailure('bad_request', `The connection "${connectionId}" has no "${field}" secret.`);
    if ('env' in ref.ref.secret) {
      throw new ContractFailure(
        'config',
        `The ${field} of "${connectionId}" is read from the environment variable ${ref.ref.secret.env}; set it there.`,
      );
    }
    await this.deps.secrets.set(ref.ref.secret.keychain, value);
    this.clients.delete(connectionId);
    await this.deps.audit.append({ action: 'secret.set', target: `${field} of ${connectionId}`, connectionId, outcome: 'ok' });
  }

  async deleteSecret(connectionId: string, field: string): Promise<void> {
    const spec = this.get(connectionId);
    const ref = secretRefsOf(spec.auth).find((r) => r.field === field);
    if (!ref || 'env' in ref.ref.secret)
      throw new ContractFailure('bad_request', `The connection "${connectionId}" keeps no "${field}" in the keychain.`);
    await this.deps.secrets.delete(ref.ref.secret.keychain);
    this.clients.delete(connectionId);
    await this.deps.audit.append({ action: 'secret.delete', target: `${field} of ${connectionId}`, connectionId, outcome: 'ok' });
  }

  /** Health as the status bar shows it: the last answer of each connection and when it last answered well. */
  healthList(): ConnectionHealth[] {
    return this.all().map(
      ({ spec }) => this.health.get(spec.id) ?? { id: spec.id, kind: spec.kind, name: spec.name, state: 'unknown' as const },
    );
  }

  recordHealth(spec: ConnectionSpec, ok: boolean, message?: string): void {
    const now = new Date().toISOString();
    const prev = this.health.get(spec.id);
    const next: ConnectionHealth = {
      id: spec.id,
      kind: spec.kind,
      name: spec.name,
      state: ok ? 'ok' : 'error',
      checkedAt: now,
      ...(this.healthRefreshMs ? { refreshMs: this.healthRefreshMs } : {}),
      ...(ok ? { lastOkAt: now } : prev?.lastOkAt ? { lastOkAt: prev.lastOkAt } : {}),
      ...(message ? { message: (this.deps.redact ?? ((t: string) => t))(message) } : {}),
    };
    this.health.set(spec.id, next);
    const list = this.healthList();
    for (const l of this.healthListeners) l(list);
  }

  /**
   * Probes every connection now and then every intervalMs, so the status bar's ages mean something even when
   * no view is polling a system. Probes of one round run one after another: a wall PC must not burst.
   */
  startHealthChecks(intervalMs: number): () => void {
    this.healthRefreshMs = intervalMs;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const round = async (): Promise<void> => {
      for (const { spec } of this.all()) {
        if (stopped) return;
        await this.test(spec.id).catch(() => undefined);
      }
      if (!stopped) timer = setTimeout(() => void round(), intervalMs);
    };
    timer = setTimeout(() => void round(), 0);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }

  onHealth(cb: (h: ConnectionHealth[]) => void): () => void {
    this.healthListeners.add(cb);
    return () => this.healthListeners.delete(cb);
  }
}

function rewriteSecretRefs(auth: ConnectionSpec['auth'], fn: (field: string, ref: SecretRef) => SecretRef): ConnectionSpec['auth'] {
  switch (auth.type) {
    case 'none':
      return auth;
    case 'basic':
      return { ...auth, password: fn('password', auth.password) };
    case 'bearer':
      return { ...auth, token: fn('token', auth.token) };
    case 'mtls':
      return auth.passphrase ? { ...auth, passphrase: fn('passphrase', auth.passphrase) } : auth;
    case 'oauth':
      return { ...auth, clientSecret: fn('clientSecret', auth.clientSecret), password: fn('password', auth.password) };
  }
}
