// AWX's `/websocket/` endpoint (awx/main/consumers.py EventConsumer) and the messages the job machinery
// sends through it.
//
// Modes:
// - faithful: every saved event is delivered once, in counter order (AWX with MAX_WEBSOCKET_EVENT_RATE=0
//   and events released in order) — the easy case for a client.
// - lossy: AWX's default behaviour: events go out as the callback-receiver workers save them (so out of
//   counter order), events without output are skipped, and the rate is limited to ~30/s. A client must
//   fill the holes from REST, as AWX's own UIs must.
// - drop: like faithful, but each connection is cut (no close frame) after `dropAfter` event messages.
// - off: no websocket at all; upgrade requests get 404 and open sockets are cut.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { authenticate, CSRF_COOKIE } from './auth';
import { isoOffset, isoZ } from './clock';
import { isRecord, parseCookies } from './http-kit';
import { pyJsonDumps } from './pyformat';
import type { SimState } from './state';
import type { JobStatus, SimEvent, SimJob, SimUser, WsMode } from './types';

interface Client {
  ws: WebSocket;
  user: SimUser;
  /** The csrftoken cookie sent with the upgrade; every message must repeat it as `xrftoken`. */
  xrfToken: string | null;
  groups: Set<string>;
  eventMessages: number;
}

interface OrderedRelease {
  next: number;
  held: Map<number, SimEvent>;
}

/** Groups whose ids are checked against objects the user may see. */
const CHECKED_GROUPS = new Set([
  'job_events',
  'workflow_events',
  'project_update_events',
  'inventory_update_events',
  'ad_hoc_command_events',
  'system_job_events',
]);

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\nConnection: close\r\n\r\n${reason}`,
  );
}

export class WebsocketHub {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly clients = new Set<Client>();
  private readonly ordered = new Map<number, OrderedRelease>();
  private mode: WsMode;

  constructor(
    private readonly state: SimState,
    mode: WsMode,
    private readonly dropAfter: number,
  ) {
    this.mode = mode;
  }

  get currentMode(): WsMode {
    return this.mode;
  }

  get connectionCount(): number {
    return this.clients.size;
  }

  setMode(mode: WsMode): void {
    this.mode = mode;
    if (mode === 'off') {
      for (const client of this.clients) client.ws.terminate();
    }
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.mode === 'off') {
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    const auth = authenticate(req.headers, this.state);
    if (!auth) {
      // AWX >= 23.8 refuses the handshake of an unauthenticated socket.
      rejectUpgrade(socket, 403, 'Forbidden');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = {
        ws,
        user: auth.user,
        xrfToken: parseCookies(req.headers.cookie).get(CSRF_COOKIE) ?? null,
        groups: new Set(),
        eventMessages: 0,
      };
      this.clients.add(client);
      ws.on('close', () => this.clients.delete(client));
      ws.on('error', () => this.clients.delete(client));
      ws.on('message', (data: RawData) => this.receive(client, data));
      this.send(client, { accept: true, user: auth.user.id });
    });
  }

  close(): void {
    for (const client of this.clients) client.ws.terminate();
    this.clients.clear();
    this.wss.close();
  }

  // --- server → client -----------------------------------------------------------------------------

  jobStatus(job: SimJob, status: JobStatus): void {
    const payload: Record<string, unknown> = { unified_job_id: job.id, status };
    if (status === 'running') payload.instance_group_name = 'default';
    else if ((status === 'successful' || status === 'failed' || status === 'canceled') && job.finished !== null) {
      // AWX formats this one with strftime("%Y-%m-%dT%H:%M:%S.%fZ").
      payload.finished = isoZ(job.finished);
    }
    payload.type = 'job';
    payload.group_name = 'jobs';
    payload.unified_job_template_id = job.templateId;
    this.broadcast('jobs-status_changed', payload);
  }

  jobSummary(job: SimJob, finalCounter: number): void {
    this.broadcast('jobs-summary', { group_name: 'jobs', unified_job_id: job.id, final_counter: finalCounter });
  }

  /** Called when the callback receiver saved an event. */
  eventSaved(job: SimJob, event: SimEvent, skipWebsocket: boolean): void {
    const release = this.ordered.get(job.id) ?? { next: 1, held: new Map<number, SimEvent>() };
    this.ordered.set(job.id, release);
    release.held.set(event.counter, event);
    const inOrder: SimEvent[] = [];
    for (let e = release.held.get(release.next); e; e = release.held.get(release.next)) {
      release.held.delete(release.next);
      release.next += 1;
      inOrder.push(e);
    }
    if (this.mode === 'lossy') {
      if (!skipWebsocket) this.sendEvent(event);
      return;
    }
    for (const e of inOrder) this.sendEvent(e);
  }

  private sendEvent(e: SimEvent): void {
    const group = `job_events-${e.job}`;
    const created = isoOffset(e.created);
    const payload = {
      id: e.id,
      job: e.job,
      created,
      modified: created,
      group_name: 'job_events',
      // AWX hard-codes this path (no trailing slash, no API prefix).
      url: `/api/v2/job_events/${e.id}`,
      stdout: e.stdout,
      counter: e.counter,
      uuid: e.uuid,
      parent_uuid: e.parentUuid,
      start_line: e.startLine,
      end_line: e.endLine,
      event: e.event,
      event_data: e.eventData,
      failed: e.failed,
      changed: e.changed,
      event_level: e.eventLevel,
      play: e.play,
      role: e.role,
      task: e.task,
    };
    const text = pyJsonDumps(payload);
    for (const client of this.clients) {
      if (!client.groups.has(group)) continue;
      this.sendText(client, text);
      client.eventMessages += 1;
      if (this.mode === 'drop' && client.eventMessages >= this.dropAfter) {
        // Cut the connection without a close frame, as a proxy or a restarting node would.
        client.ws.terminate();
        this.clients.delete(client);
      }
    }
  }

  private broadcast(group: string, payload: Record<string, unknown>): void {
    const text = pyJsonDumps(payload);
    for (const client of this.clients) if (client.groups.has(group)) this.sendText(client, text);
  }

  private send(client: Client, payload: Record<string, unknown>): void {
    this.sendText(client, pyJsonDumps(payload));
  }

  private sendText(client: Client, text: string): void {
    if (client.ws.readyState === WebSocket.OPEN) client.ws.send(text);
  }

  // --- client → server -----------------------------------------------------------------------------

  private receive(client: Client, raw: RawData): void {
    let data: unknown;
    try {
      const bytes = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      data = JSON.parse(bytes.toString('utf8'));
    } catch {
      // The consumer cannot decode the frame: channels drops the connection.
      client.ws.close(1011);
      return;
    }
    if (!isRecord(data)) {
      client.ws.close(1011);
      return;
    }
    const xrf = data.xrftoken;
    if (typeof xrf !== 'string' || xrf === '' || client.xrfToken === null || xrf !== client.xrfToken) {
      this.send(client, { error: 'access denied to channel' });
      return;
    }
    if (!('groups' in data)) return;
    const groups = data.groups;
    if (!isRecord(groups)) {
      this.send(client, { error: 'access denied to channel' });
      return;
    }
    const wanted = new Set<string>();
    for (const [groupName, ids] of Object.entries(groups)) {
      if (!Array.isArray(ids)) {
        this.send(client, { error: 'access denied to channel' });
        return;
      }
      for (const id of ids) {
        const idText = typeof id === 'string' || typeof id === 'number' ? String(id) : JSON.stringify(id);
        if (CHECKED_GROUPS.has(groupName) && !this.canSee(groupName, idText)) {
          this.send(client, { error: `access denied to channel ${groupName} for resource id ${idText}` });
          continue;
        }
        wanted.add(`${groupName}-${idText}`);
      }
    }
    const left = [...client.groups].filter((g) => !wanted.has(g));
    const joined = [...wanted].filter((g) => !client.groups.has(g));
    client.groups = wanted;
    this.send(client, { groups_current: [...wanted], groups_left: left, groups_joined: joined });
  }

  private canSee(groupName: string, id: string): boolean {
    if (groupName !== 'job_events' || !/^\d+$/.test(id)) return false;
    return this.state.job(Number(id)) !== undefined;
  }
}
