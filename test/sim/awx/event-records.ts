// Turns the callback plugin's records (one per ansible callback, holding the exact text it printed) into
// AWX job events, numbering them the way ansible-runner does: counters in output order from 1, cumulative
// 0-based start_line/end_line, `\r\n` line ends (AWX runs ansible in a pty), and the trailing line end
// dropped from `stdout`. So the events' stdout, joined in order, is the job's stdout.
import { z } from 'zod';
import { nowMs, parseIsoMs } from './clock';
import { eventTraits } from './event-meta';
import type { SimEvent } from './types';

const recordSchema = z.object({
  event: z.string(),
  uuid: z.string(),
  parent_uuid: z.string().default(''),
  created: z.string().optional(),
  event_data: z.record(z.string(), z.unknown()).default({}),
  stdout: z.string().default(''),
});

export type CallbackRecord = z.infer<typeof recordSchema>;

export function parseRecord(line: string): CallbackRecord | null {
  try {
    const parsed = recordSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Text ansible wrote outside any callback (before the plugin loaded, fatal errors): verbose events. */
export function verboseRecord(text: string, uuid: string): CallbackRecord {
  return { event: 'verbose', uuid, parent_uuid: '', event_data: {}, stdout: text };
}

export type DraftEvent = Omit<SimEvent, 'id' | 'modified'>;

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export class EventNumberer {
  private counter = 0;
  private line = 0;

  constructor(
    private readonly jobId: number,
    private readonly hostIds: ReadonlyMap<string, number>,
  ) {}

  /** Events the run has emitted so far (AWX `emitted_events`). */
  get emitted(): number {
    return this.counter;
  }

  next(record: CallbackRecord): DraftEvent {
    const lines = countNewlines(record.stdout);
    const crlf = record.stdout.replaceAll('\n', '\r\n');
    const stdout = crlf.endsWith('\r\n') ? crlf.slice(0, -2) : crlf;
    const startLine = this.line;
    this.line += lines;
    this.counter += 1;
    const data = record.event_data;
    const hostName = str(data.host);
    const traits = eventTraits(record.event, data);
    return {
      job: this.jobId,
      counter: this.counter,
      event: record.event,
      eventData: data,
      stdout,
      startLine,
      endLine: this.line,
      uuid: record.uuid,
      parentUuid: record.parent_uuid,
      hostName,
      host: hostName ? (this.hostIds.get(hostName) ?? null) : null,
      playbook: str(data.playbook),
      play: str(data.play),
      task: str(data.task),
      role: str(data.role),
      failed: traits.failed,
      changed: traits.changed,
      eventLevel: traits.eventLevel,
      eventDisplay: traits.eventDisplay,
      verbosity: 0,
      created: (record.created ? parseIsoMs(record.created) : null) ?? nowMs(),
    };
  }
}
