import type { ConnectionProblem } from '@shared/jobs/model';
import type { ConnectionSpec, SecretRef } from '@shared/connections/model';
import { ContractFailure } from '@shared/kernel/result';
import { authorizationFor } from '../../kernel/connections/authorization';
import type { HttpClient } from '../../kernel/http/types';
import { AwxClient } from '../../systems/awx/awx-client';
import { awxFailure } from '../../systems/awx/awx-errors';
import { AwxSocket } from '../../systems/awx/awx-socket';
import type { SocketOptions } from '../../systems/awx/awx-socket';

// One AwxClient and one websocket per AWX connection, made again when the connection's settings change, and the
// choice of connection for a call that names none.

export interface AwxConnections {
  get(id: string): ConnectionSpec;
  byKind(kind: ConnectionSpec['kind']): ConnectionSpec[];
  client(id: string): Promise<HttpClient>;
  /** Reads a secret for this connection (bound to its origin). */
  resolveSecretFor(spec: ConnectionSpec, ref: SecretRef, field: string): Promise<string>;
}

export class AwxPool {
  private readonly clients = new Map<string, { key: string; http: HttpClient; client: AwxClient }>();
  private readonly sockets = new Map<string, { key: string; socket: AwxSocket }>();

  constructor(
    private readonly connections: AwxConnections,
    private readonly opts: { websocket?: boolean; socket?: SocketOptions } = {},
  ) {}

  /** The connection to use: the one named (must be AWX), or the first AWX connection. */
  connectionId(requested?: string | null): string {
    if (requested) {
      const spec = this.connections.get(requested);
      if (spec.kind !== 'awx')
        throw new ContractFailure('bad_request', `The connection "${requested}" is a ${spec.kind} connection, not AWX.`);
      return spec.id;
    }
    const first = this.connections.byKind('awx')[0];
    if (!first)
      throw new ContractFailure(
        'not_configured',
        'No AWX connection is configured. Add one in Settings → Connections or in the workspace file.',
      );
    return first.id;
  }

  /** The one named, or every AWX connection. */
  connectionIds(requested?: string): string[] {
    return requested ? [this.connectionId(requested)] : this.connections.byKind('awx').map((c) => c.id);
  }

  async client(connectionId: string): Promise<AwxClient> {
    const spec = this.connections.get(connectionId);
    const http = await this.connections.client(connectionId);
    const key = JSON.stringify(spec);
    const cached = this.clients.get(connectionId);
    if (cached && cached.key === key && cached.http === http) return cached.client;
    const client = new AwxClient(spec, http);
    this.clients.set(connectionId, { key, http, client });
    return client;
  }

  /** The connection's websocket (null when the console polls only). */
  socket(connectionId: string): AwxSocket | null {
    if (this.opts.websocket === false) return null;
    const spec = this.connections.get(connectionId);
    const key = JSON.stringify(spec);
    const cached = this.sockets.get(connectionId);
    if (cached && cached.key === key) return cached.socket;
    cached?.socket.close();
    const authorization = authorizationFor(spec, (ref, field) => this.connections.resolveSecretFor(spec, ref, field));
    const socket = new AwxSocket(spec, {
      ...(this.opts.socket ?? {}),
      ...(authorization ? { authorization: () => authorization({ refresh: false }) } : {}),
    });
    this.sockets.set(connectionId, { key, socket });
    return socket;
  }

  /** A connection's failure as a list answer reports it (the other connections still answer). */
  problemOf(id: string, e: unknown): ConnectionProblem {
    const spec = this.connections.get(id);
    const f = e instanceof ContractFailure ? e : awxFailure(e, spec);
    return { connectionId: id, connectionName: spec.name, code: f.code, message: f.message };
  }

  closeSockets(): void {
    for (const { socket } of this.sockets.values()) socket.close();
    this.sockets.clear();
  }
}
