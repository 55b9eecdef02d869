import type { ConnectionService } from '../../kernel/connections/connection-service';
import { ContractFailure } from '@shared/kernel/result';
import { PrometheusClient } from './prometheus-client';
import { RangeCache } from './range-cache';

// One PrometheusClient per connection id, so the concurrency limit and the range cache are per connection and
// survive across refreshes. The HttpClient underneath is looked up per request: editing a connection (URL,
// auth, CA) takes effect at once without throwing the cache away.

export interface PrometheusPoolOptions {
  concurrency?: number;
  queryTimeout?: string;
  /** Wall clock in ms for the range caches' "settled" cut (the CLI's --at moves it). */
  now?: () => number;
}

export class PrometheusPool {
  private readonly clients = new Map<string, PrometheusClient>();

  constructor(
    private readonly connections: Pick<ConnectionService, 'get' | 'client'>,
    private readonly opts: PrometheusPoolOptions = {},
  ) {}

  /** The client of a Prometheus connection; throws not_configured for an unknown id or another kind. */
  get(connectionId: string): PrometheusClient {
    const spec = this.connections.get(connectionId);
    if (spec.kind !== 'prometheus') {
      throw new ContractFailure('config', `The connection "${connectionId}" is a ${spec.kind} connection, not Prometheus.`);
    }
    let c = this.clients.get(connectionId);
    if (!c || c.name !== spec.name) {
      c = new PrometheusClient({
        connectionId,
        name: spec.name,
        http: () => this.connections.client(connectionId),
        ...(this.opts.concurrency !== undefined ? { concurrency: this.opts.concurrency } : {}),
        ...(this.opts.queryTimeout !== undefined ? { queryTimeout: this.opts.queryTimeout } : {}),
        ...(this.opts.now ? { cache: new RangeCache({ now: this.opts.now }) } : {}),
      });
      this.clients.set(connectionId, c);
    }
    return c;
  }
}
