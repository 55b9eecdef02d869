import { ContractFailure } from '@shared/kernel/result';
import type { HttpClient, HttpRequest, HttpResponse } from './types';

// One connection, several members of the same cluster (an Alertmanager pair: the members gossip alerts and
// silences, so any one of them answers for all). Requests go to the member that answered last; when it cannot
// be reached the next one is asked.
//
// Reads fail over on anything that says "this member is not serving" (unreachable, timeout, TLS, a 5xx). A
// write fails over only when the failure proves the request never left (connection refused, no such host,
// no route): a write that timed out or was cut may have been applied, and sending it to the other member
// would make a second silence. Answers about the request itself (400, 404, 401/403) are the cluster's answer,
// not a member's trouble, and are returned as they are.

export interface Member {
  url: string;
  client: HttpClient;
}

const TRANSPORT_CODES = new Set(['unreachable', 'timeout', 'dns', 'tls']);

/** True when the request certainly did not reach the server (safe to send a write elsewhere). */
export function neverSent(e: unknown): boolean {
  if (!(e instanceof ContractFailure)) return false;
  if (e.code === 'dns') return true;
  const text = `${e.message} ${e.detail?.remoteMessage ?? ''}`;
  return /ECONNREFUSED|connection refused|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|UND_ERR_CONNECT_TIMEOUT/.test(text);
}

/** True when the failure is this member's, not the request's: another member may answer. */
export function memberDown(e: unknown): boolean {
  if (!(e instanceof ContractFailure)) return false;
  if (TRANSPORT_CODES.has(e.code)) return true;
  const status = e.detail?.status;
  return status !== undefined && status >= 500 && status !== 501;
}

export class FailoverHttpClient implements HttpClient {
  private preferred = 0;

  constructor(
    private readonly name: string,
    private readonly members: readonly Member[],
    private readonly connectionId?: string,
  ) {
    if (members.length === 0) throw new Error('a failover client needs at least one member');
  }

  /** The URL of the member requests go to first (the one that answered last). */
  current(): string {
    return this.members[this.preferred]?.url ?? '';
  }

  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const failures: { url: string; error: unknown }[] = [];
    const n = this.members.length;
    for (let i = 0; i < n; i++) {
      const index = (this.preferred + i) % n;
      const m = this.members[index];
      if (!m) continue;
      try {
        const res = await m.client.request<T>(req);
        this.preferred = index;
        return res;
      } catch (e) {
        if (req.signal?.aborted) throw e;
        const next = req.idempotent === true ? memberDown(e) : neverSent(e);
        if (!next) throw e;
        failures.push({ url: m.url, error: e });
      }
    }
    const last = failures.at(-1)?.error;
    const code = last instanceof ContractFailure ? last.code : 'unreachable';
    const words = failures.map((f) => `${f.url}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
    throw new ContractFailure(code, `${this.name}: no member of the cluster answered (${words})`, {
      retryable: true,
      ...(this.connectionId ? { connectionId: this.connectionId } : {}),
      ...(last instanceof ContractFailure && last.detail?.remoteMessage ? { remoteMessage: last.detail.remoteMessage } : {}),
    });
  }
}
