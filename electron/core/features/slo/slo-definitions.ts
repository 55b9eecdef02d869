import { ContractFailure } from '@shared/kernel/result';
import { detectRecordedSlos, parseOpenSlo, type SloDefinition, type SloProblem } from '@shared/slo';
import type { SloWarning } from '@shared/slo/contract';
import type { ConnectionSpec } from '@shared/connections/model';
import type { Workspace } from '../../kernel/workspace/load-workspace';
import type { ConnectionService } from '../../kernel/connections/connection-service';
import type { PrometheusPool } from '../../systems/prometheus/pool';
import type { PrometheusClient } from '../../systems/prometheus/prometheus-client';
import { mergedRulesBody, ruleHealthWarnings } from '../../systems/prometheus/rules';
import { importedFiles, readSloFiles } from './slo-files';
import { errorText } from './error-text';
import type { ConnectionRefusals } from './connection-refusals';

// Which SLOs there are, and where each is read: the workspace's OpenSLO files, files imported from the UI, and
// Sloth/Pyrra recording rules found on the SLO connections (discovered at most every few minutes, each
// connection within the answer deadline so a hanging one never holds up the others).

export interface Definitions {
  slos: SloDefinition[];
  problems: SloProblem[];
  warnings: SloWarning[];
  files: { path: string; file: { file: string; text: string } }[];
}

interface RulesEntry {
  at: number;
  slos: SloDefinition[];
  problems: SloProblem[];
  warnings: SloWarning[];
}

export interface SloDefinitionsOptions {
  workspace: () => Workspace;
  connections: Pick<ConnectionService, 'get'>;
  /** The console's data folder: imported SLO files live in `<dataDir>/slos/`. */
  dataDir: string;
  pool: PrometheusPool;
  now: () => number;
  /** How long recording-rule discovery is reused. Default 5 minutes. */
  rulesTtlMs?: number;
  answerDeadlineMs: number;
  /** Where a connection's refused reads are told to the SLO details waiting on it. */
  refusals?: ConnectionRefusals;
}

export class SloDefinitions {
  /** What the last read found; null before the first. */
  current: Definitions | null = null;
  private readonly rules = new Map<string, RulesEntry>();
  private readonly rulesInflight = new Map<string, Promise<RulesEntry | null>>();
  private parsed: { fingerprint: string; result: ReturnType<typeof parseOpenSlo> } | null = null;

  constructor(private readonly opts: SloDefinitionsOptions) {}

  defaultConnection(): string | undefined {
    return this.opts.workspace().slos.connection;
  }

  connectionOf(def: SloDefinition): string | undefined {
    return def.connectionId ?? this.defaultConnection();
  }

  /** Reads every SLO file (they are small; re-reading picks up edits) and the recorded SLOs (cached). */
  async read(signal?: AbortSignal): Promise<Definitions> {
    const ws = this.opts.workspace();
    const paths = [...ws.slos.files, ...(await importedFiles(this.opts.dataDir))];
    const read = await readSloFiles(paths, ws.file ? ws.dir : null);
    // Files are re-read every time (edits show at once) but parsed again only when one of them changed: a fleet
    // of thousands of files would otherwise spend most of a refresh in YAML.
    const fingerprint = read.files.map((f) => `${f.file.file}\u0000${f.file.text}`).join('\u0001');
    if (this.parsed?.fingerprint !== fingerprint) this.parsed = { fingerprint, result: parseOpenSlo(read.files.map((f) => f.file)) };
    const parsed = this.parsed.result;
    const slos = [...parsed.slos];
    const problems = [...read.problems, ...parsed.problems];
    const warnings: SloWarning[] = [];

    const scope = new Set<string>();
    const def = ws.slos.connection;
    if (def !== undefined) scope.add(def);
    for (const s of parsed.slos) if (s.connectionId !== undefined) scope.add(s.connectionId);
    const keys = new Set(slos.map((s) => s.key));
    // Every connection's rules at once, each bounded by the answer deadline: a server that hangs must not hold
    // up the SLOs of the others (its recorded SLOs come from the last discovery until it answers).
    const entries = await Promise.all([...scope].map(async (id) => [id, await this.recordedWithin(id, signal)] as const));
    for (const [id, entry] of entries) {
      if (!entry) continue;
      problems.push(...entry.problems);
      warnings.push(...entry.warnings);
      for (const r of entry.slos) {
        if (keys.has(r.key)) {
          warnings.push({
            kind: 'config',
            connectionId: id,
            message: `The recorded SLO ${r.key} is defined twice; the copy on ${id} is ignored.`,
          });
          continue;
        }
        keys.add(r.key);
        slos.push(r);
      }
    }
    this.current = { slos, problems, warnings, files: read.files };
    return this.current;
  }

  /** recordedOn, or what the last discovery found when the connection has not answered by the deadline. */
  private async recordedWithin(connectionId: string, signal?: AbortSignal): Promise<RulesEntry | null> {
    let run = this.rulesInflight.get(connectionId);
    // A discovery still running from an earlier refresh has already missed one deadline: do not wait again.
    const waitMs = run ? 0 : this.opts.answerDeadlineMs;
    if (!run) {
      run = this.recordedOn(connectionId, signal).finally(() => this.rulesInflight.delete(connectionId));
      this.rulesInflight.set(connectionId, run);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = Symbol('late');
    const got = await Promise.race([
      run,
      new Promise<typeof late>((resolve) => {
        timer = setTimeout(() => resolve(late), waitMs);
      }),
    ]);
    clearTimeout(timer);
    if (got !== late) return got;
    const cached = this.rules.get(connectionId);
    const warning: SloWarning = {
      kind: 'connection',
      connectionId,
      message: `Recording rules on ${this.connectionName(connectionId)} have not been read yet: no answer within ${Math.round(this.opts.answerDeadlineMs / 1000)} s.`,
    };
    return cached ? { ...cached, warnings: [...cached.warnings, warning] } : { at: 0, slos: [], problems: [], warnings: [warning] };
  }

  /** Sloth/Pyrra SLOs and failing rules on one connection; null when it is not a Prometheus connection. */
  private async recordedOn(connectionId: string, signal?: AbortSignal): Promise<RulesEntry | null> {
    let client: PrometheusClient;
    try {
      client = this.clientFor(connectionId);
    } catch {
      return null;
    }
    const cached = this.rules.get(connectionId);
    if (cached && this.opts.now() - cached.at < (this.opts.rulesTtlMs ?? 300_000)) return cached;
    try {
      const both = (): Promise<[Awaited<ReturnType<PrometheusClient['rules']>>, Awaited<ReturnType<PrometheusClient['rules']>>]> =>
        Promise.all([client.rules('record', signal), client.rules('alert', signal)]);
      const [record, alert] = await (this.opts.refusals ? this.opts.refusals.run(connectionId, both) : both());
      const detected = detectRecordedSlos(mergedRulesBody(record, alert), { connectionId });
      const entry: RulesEntry = {
        at: this.opts.now(),
        slos: detected.slos,
        problems: detected.problems,
        warnings: ruleHealthWarnings([...record.groups, ...alert.groups], connectionId),
      };
      this.rules.set(connectionId, entry);
      return entry;
    } catch (e) {
      // Keep what the last discovery found; say why this one failed.
      const warning: SloWarning = {
        kind: 'connection',
        connectionId,
        message: `Recording rules could not be read from ${client.name}: ${errorText(e)}`,
      };
      return cached ? { ...cached, warnings: [...cached.warnings, warning] } : { at: 0, slos: [], problems: [], warnings: [warning] };
    }
  }

  clientFor(connectionId: string): PrometheusClient {
    let spec: ConnectionSpec;
    try {
      spec = this.opts.connections.get(connectionId);
    } catch {
      throw new ContractFailure('not_configured', `There is no connection "${connectionId}" for SLO queries.`);
    }
    if (spec.kind !== 'prometheus')
      throw new ContractFailure('config', `The connection "${connectionId}" is ${spec.kind}, not Prometheus.`);
    return this.opts.pool.get(connectionId);
  }

  connectionName(id: string): string {
    try {
      return this.opts.connections.get(id).name;
    } catch {
      return id; // unknown connection: its SLOs carry the error
    }
  }
}
