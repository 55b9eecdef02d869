import { ContractFailure } from '@shared/kernel/result';
import { ConnectionSpec, secretRefsOf } from '@shared/connections/model';
import type { ConnectionHealth, ConnectionView, ProbeResult, SecretRef } from '@shared/connections/model';
import type { HttpClient } from '../http/types';
import { createHttpClient } from '../http/http-client';
import { FailoverHttpClient } from '../http/failover-client';
import { authorizationFor } from './authorization';
import { probeConnection } from './probes';
import { HealthBoard, runHealthChecks } from './connection-health';
import type { SettingsService } from '../settings/settings-service';
import type { AuditLog } from '../audit/audit-log';

// Connections: the saved and the workspace's, their HTTP clients, their secrets (bound to the origin they were
// entered for), probes and health (kept in connection-health.ts).

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
  /** A one-shot command's overall deadline (epoch ms): no request of any connection outlives it. */
  deadlineAt?: number;
  /** Every secret value read is registered here so logs and the audit can scrub it. */
  onSecretUsed?: (value: string) => void;
}

/** scheme://host:port: what a stored secret is bound to. */
export function originOf(url: string): string {
  return new URL(url).origin;
}

/**
 * Every origin a connection sends its secrets to: its URL and, for a clustered Alertmanager, each peer's. A
 * secret is bound to this whole set, so adding a peer at a new host is pointing the connection elsewhere.
 */
export function originsOf(spec: Pick<ConnectionSpec, 'url' | 'peerUrls'>): string {
  return [...new Set([spec.url, ...(spec.peerUrls ?? [])].map(originOf))].sort().join(' ');
}

/** A URL as the audit log records it: no user info, no query (either may carry a credential). */
function displayUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname === '/' ? '' : u.pathname}`;
}

function envRefusal(field: string): ContractFailure {
  return new ContractFailure(
    'bad_request',
    `The ${field} cannot be read from an environment variable here: only the workspace file and the command line may name one. Type the secret to keep it in the keychain.`,
    { fields: [{ path: `secrets.${field}`, message: 'environment variables are for the workspace file and the CLI' }] },
  );
}

/** The keychain account of a secret entered in the UI: one account per connection and secret field. */
export const keychainAccount = (connectionId: string, field: string): string => `${connectionId}:${field}`;

export class ConnectionService {
  private clients = new Map<string, { key: string; client: Promise<HttpClient> }>();
  private health = new HealthBoard();

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
          secretRefsOf(spec.auth).map(async ({ field, ref }) => ({ field, ref, present: await this.present(spec, ref) })),
        ),
      })),
    );
  }

  private async present(spec: ConnectionSpec, ref: SecretRef): Promise<boolean> {
    if ('env' in ref.secret) return this.isProvisioned(spec.id) && Boolean(this.deps.env[ref.secret.env]);
    const bound = this.deps.settings.getSecretOrigin(spec.id, ref.secret.keychain);
    if (bound !== undefined && bound !== originsOf(spec)) return false;
    return this.deps.secrets.has(ref.secret.keychain);
  }

  /**
   * Reads a secret at request time for one connection; a missing one is an error that says where it was looked
   * for. A keychain secret is bound to the origin it was entered for: once the connection points elsewhere it
   * is not sent until someone enters it again. Environment variables are named only by the workspace file (or
   * the CLI's): a connection saved through the contract cannot reach one.
   */
  readonly resolveSecretFor = async (spec: ConnectionSpec, ref: SecretRef, field: string): Promise<string> => {
    let value: string | null | undefined;
    if ('env' in ref.secret) {
      if (!this.isProvisioned(spec.id)) throw envRefusal(field);
      value = this.deps.env[ref.secret.env];
      if (!value)
        throw new ContractFailure(
          'secret_missing',
          `The ${field} is read from the environment variable ${ref.secret.env}, which is not set.`,
        );
    } else {
      const account = ref.secret.keychain;
      const here = originsOf(spec);
      const bound = this.deps.settings.getSecretOrigin(spec.id, account);
      if (bound !== undefined && bound !== here)
        throw new ContractFailure(
          'secret_missing',
          `The ${field} of "${spec.name}" was entered for ${bound}; the connection now points at ${here}, so it is not sent there. Enter it again in Settings → Connections.`,
        );
      value = await this.deps.secrets.get(account);
      if (!value)
        throw new ContractFailure(
          'secret_missing',
          `No ${field} is stored in the keychain for "${account}". Set it in Settings → Connections.`,
        );
      // A secret stored before origins were recorded is bound to where it is first used.
      if (bound === undefined) this.deps.settings.setSecretOrigin(spec.id, account, here);
    }
    this.deps.onSecretUsed?.(value);
    return value;
  };

  private isProvisioned(id: string): boolean {
    return this.deps.provisioned().some((c) => c.id === id);
  }

  /** An HTTP client for the connection, rebuilt when its spec changes. */
  client(id: string): Promise<HttpClient> {
    const spec = this.get(id);
    const key = JSON.stringify(spec);
    const cached = this.clients.get(id);
    if (cached && cached.key === key) return cached.client;
    const mtls = spec.auth.type === 'mtls' ? spec.auth : undefined;
    const resolve = (ref: SecretRef, field: string): Promise<string> => this.resolveSecretFor(spec, ref, field);
    const baseAuth = authorizationFor(spec, resolve, fetch, this.deps.deadlineAt);
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
    const build = (baseUrl: string): Promise<HttpClient> =>
      createHttpClient({
        name: spec.name,
        connectionId: spec.id,
        baseUrl,
        ...(spec.headers ? { headers: spec.headers } : {}),
        ...(authorization ? { authorization } : {}),
        ...(spec.caFile ? { caFile: spec.caFile } : {}),
        ...(spec.proxy ? { proxy: spec.proxy } : {}),
        ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
        ...(spec.maxResponseMB ? { maxResponseBytes: spec.maxResponseMB * 1024 * 1024 } : {}),
        ...(this.deps.deadlineAt !== undefined ? { deadlineAt: this.deps.deadlineAt } : {}),
        ...(mtls
          ? {
              tls: {
                certFile: mtls.certFile,
                keyFile: mtls.keyFile,
                ...(mtls.passphrase ? { passphrase: () => resolve(mtls.passphrase as SecretRef, 'passphrase') } : {}),
              },
            }
          : {}),
      });
    // A clustered Alertmanager: one client per member behind one that fails over between them.
    const urls = [spec.url, ...(spec.peerUrls ?? [])];
    const client =
      urls.length === 1
        ? build(spec.url)
        : Promise.all(urls.map(async (url) => ({ url, client: await build(url) }))).then(
            (members) => new FailoverHttpClient(spec.name, members, spec.id),
          );
    // A failed build (unreadable CA file) must not stick: the next call tries again.
    client.catch(() => this.clients.delete(id));
    this.clients.set(id, { key, client });
    return client;
  }

  /** `timeoutMs` bounds each probe request (health checks keep a probe within their interval). */
  async test(id: string, opts: { timeoutMs?: number } = {}): Promise<ProbeResult> {
    const spec = this.get(id);
    let result: ProbeResult;
    try {
      result = await probeConnection(spec, await this.client(id), opts);
    } catch (e) {
      const message = e instanceof ContractFailure ? e.message : String(e);
      result = { ok: false, steps: [{ name: 'prepare the connection', ok: false, message }], elapsedMs: 0 };
    }
    this.recordHealth(spec, result.ok, result.ok ? undefined : result.steps.find((s) => !s.ok)?.message);
    return result;
  }

  async save(input: { spec: ConnectionSpec; secrets?: Record<string, string> }): Promise<ConnectionView> {
    const { spec } = input;
    if (this.isProvisioned(spec.id)) {
      throw new ContractFailure('config', `The connection "${spec.id}" is provisioned by the workspace file and is read-only here.`);
    }
    const given = input.secrets ?? {};
    const refs = secretRefsOf(spec.auth);
    const known = new Set(refs.map((r) => r.field));
    for (const field of Object.keys(given)) {
      if (!known.has(field))
        throw new ContractFailure('bad_request', `The ${spec.auth.type} auth of this connection has no "${field}" secret.`);
    }
    for (const { field, ref } of refs) if ('env' in ref.secret) throw envRefusal(field);
    // Every secret of a saved connection lives under its own keychain account, whatever the spec named: a
    // page must not point a new connection at another one's secret.
    const auth = rewriteSecretRefs(spec.auth, (field) => ({ secret: { keychain: keychainAccount(spec.id, field) } }));
    const final = ConnectionSpec.parse({ ...spec, auth });
    const origin = originsOf(final);
    // Pointing the connection at another origin drops the secrets entered for the old one.
    const previous = this.deps.settings.getConnections().find((c) => c.id === final.id);
    const dropped: string[] = [];
    for (const { field } of secretRefsOf(final.auth)) {
      const account = keychainAccount(final.id, field);
      if (field in given) continue;
      const bound = this.deps.settings.getSecretOrigin(final.id, account) ?? (previous ? originsOf(previous) : undefined);
      if (bound !== undefined && bound !== origin && (await this.deps.secrets.has(account))) {
        await this.deps.secrets.delete(account);
        dropped.push(field);
      }
      if (bound !== undefined && bound !== origin) this.deps.settings.setSecretOrigin(final.id, account, undefined);
    }
    for (const [field, value] of Object.entries(given)) {
      const account = keychainAccount(final.id, field);
      await this.deps.secrets.set(account, value);
      this.deps.settings.setSecretOrigin(final.id, account, origin);
    }
    this.deps.settings.saveConnection(final);
    this.clients.delete(final.id);
    const notes = [
      `url ${displayUrl(final.url)}`,
      ...(Object.keys(given).length ? [`secrets updated: ${Object.keys(given).join(', ')}`] : []),
      ...(dropped.length ? [`secrets dropped (entered for another origin): ${dropped.join(', ')}`] : []),
    ];
    await this.deps.audit.append({
      action: 'connections.save',
      target: `${final.kind} connection ${final.id}`,
      connectionId: final.id,
      outcome: 'ok',
      message: notes.join('; '),
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
      if (!('keychain' in ref.secret)) continue;
      if (ref.secret.keychain.startsWith(`${id}:`)) await this.deps.secrets.delete(ref.secret.keychain);
      this.deps.settings.setSecretOrigin(id, ref.secret.keychain, undefined);
    }
    this.deps.settings.removeConnection(id);
    this.clients.delete(id);
    this.health.forget(id);
    await this.deps.audit.append({
      action: 'connections.remove',
      target: `${spec.kind} connection ${id}`,
      connectionId: id,
      outcome: 'ok',
    });
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
    this.deps.settings.setSecretOrigin(connectionId, ref.ref.secret.keychain, originsOf(spec));
    this.clients.delete(connectionId);
    await this.deps.audit.append({
      action: 'connections.secret.set',
      target: `${field} of ${connectionId}`,
      connectionId,
      outcome: 'ok',
      message: `for ${originOf(spec.url)}`,
    });
  }

  async deleteSecret(connectionId: string, field: string): Promise<void> {
    const spec = this.get(connectionId);
    const ref = secretRefsOf(spec.auth).find((r) => r.field === field);
    if (!ref || 'env' in ref.ref.secret)
      throw new ContractFailure('bad_request', `The connection "${connectionId}" keeps no "${field}" in the keychain.`);
    await this.deps.secrets.delete(ref.ref.secret.keychain);
    this.deps.settings.setSecretOrigin(connectionId, ref.ref.secret.keychain, undefined);
    this.clients.delete(connectionId);
    await this.deps.audit.append({
      action: 'connections.secret.delete',
      target: `${field} of ${connectionId}`,
      connectionId,
      outcome: 'ok',
    });
  }

  /** Health as the status bar shows it: the last answer of each connection and when it last answered well. */
  healthList(): ConnectionHealth[] {
    return this.health.list(this.all().map((c) => c.spec));
  }

  recordHealth(spec: ConnectionSpec, ok: boolean, message?: string): void {
    this.health.record(spec, ok, message, () => this.healthList());
  }

  /** Probes every connection now and then every intervalMs (see runHealthChecks). */
  startHealthChecks(intervalMs: number): () => void {
    this.health.refreshMs = intervalMs;
    return runHealthChecks(
      () => this.all().map((c) => c.spec),
      (spec, timeoutMs) => this.test(spec.id, { timeoutMs }),
      intervalMs,
    );
  }

  onHealth(cb: (h: ConnectionHealth[]) => void): () => void {
    return this.health.on(cb);
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
