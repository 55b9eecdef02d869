import type { ConnectionSpec, ProbeResult } from '@shared/connections/model';
import { ContractFailure } from '@shared/kernel/result';
import type { HttpClient } from '../http/types';

type Step = ProbeResult['steps'][number];

/**
 * "Test connection": each system's own probe. The steps say what was checked and, on failure, quote the
 * system's words (TLS, DNS, 401 body, an HTML login page).
 */
export async function probeConnection(spec: ConnectionSpec, client: HttpClient): Promise<ProbeResult> {
  const t0 = Date.now();
  const steps: Step[] = [];
  let version: string | undefined;
  let user: string | undefined;
  const step = async <T>(name: string, fn: () => Promise<T>, describe: (v: T) => string): Promise<T | undefined> => {
    try {
      const v = await fn();
      steps.push({ name, ok: true, message: describe(v) });
      return v;
    } catch (e) {
      steps.push({ name, ok: false, message: e instanceof ContractFailure ? e.message : String(e) });
      return undefined;
    }
  };
  if (spec.kind === 'prometheus') {
    const r = await step(
      'GET /api/v1/status/buildinfo',
      () => client.request<{ status?: string; data?: { version?: string } }>({ path: '/api/v1/status/buildinfo', idempotent: false }),
      (r) => `Prometheus ${r.body.data?.version ?? '(version not reported)'}`,
    );
    version = r?.body.data?.version;
  } else if (spec.kind === 'servicenow') {
    const r = await step(
      'GET /api/now/table/incident (one row)',
      () =>
        client.request<{ result?: unknown[] }>({
          path: '/api/now/table/incident',
          query: { sysparm_limit: 1, sysparm_fields: 'sys_id,number', sysparm_no_count: 'true' },
        }),
      (r) => (Array.isArray(r.body.result) ? 'Table API answered' : 'answered without a "result" array'),
    );
    if (r && !Array.isArray(r.body.result)) steps[steps.length - 1]!.ok = false;
    const username = spec.auth.type === 'basic' || spec.auth.type === 'oauth' ? spec.auth.username : undefined;
    if (r && username) {
      const u = await step(
        'GET /api/now/table/sys_user (who am I)',
        () =>
          client.request<{ result?: { name?: string; user_name?: string }[] }>({
            path: '/api/now/table/sys_user',
            query: { sysparm_query: `user_name=${username}`, sysparm_fields: 'name,user_name', sysparm_limit: 1, sysparm_no_count: 'true' },
          }),
        (u) => (u.body.result?.[0] ? `signed in as ${u.body.result[0].name ?? username}` : `user ${username} is not readable in sys_user`),
      );
      user = u?.body.result?.[0]?.name ?? (r ? username : undefined);
    }
    version = 'ServiceNow Table API';
  } else if (spec.kind === 'alertmanager') {
    const r = await step(
      'GET /api/v2/status',
      () =>
        client.request<{ versionInfo?: { version?: string }; cluster?: { status?: string; peers?: unknown[] } }>({
          path: '/api/v2/status',
        }),
      (r) =>
        `Alertmanager ${r.body.versionInfo?.version ?? '(version not reported)'}, cluster ${r.body.cluster?.status ?? 'status not reported'}` +
        (Array.isArray(r.body.cluster?.peers) && r.body.cluster.peers.length > 0 ? ` (${r.body.cluster.peers.length} peers)` : ''),
    );
    version = r?.body.versionInfo?.version ? `Alertmanager ${r.body.versionInfo.version}` : undefined;
  } else {
    const base = spec.apiBasePath ?? '/api/v2/';
    const ping = await step(
      `GET ${base}ping/`,
      () => client.request<{ version?: string; active_node?: string }>({ path: `${base}ping/`, noAuth: true }),
      (r) => `AWX ${r.body.version ?? '(version not reported)'}${r.body.active_node ? ` on ${r.body.active_node}` : ''}`,
    );
    version = ping?.body.version;
    if (ping) {
      const me = await step(
        `GET ${base}me/`,
        () => client.request<{ results?: { username?: string }[] }>({ path: `${base}me/` }),
        (r) => (r.body.results?.[0]?.username ? `signed in as ${r.body.results[0].username}` : 'credentials accepted'),
      );
      user = me?.body.results?.[0]?.username;
      const product = me?.headers['x-api-product-name'];
      const pv = me?.headers['x-api-product-version'];
      if (product && pv) version = `${product} ${pv}`;
    }
  }
  return {
    ok: steps.length > 0 && steps.every((s) => s.ok),
    ...(version ? { version } : {}),
    ...(user ? { user } : {}),
    steps,
    elapsedMs: Date.now() - t0,
  };
}
