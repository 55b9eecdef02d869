// All mutable simulator state lives here, so tests can read it directly.
import { randomBytes } from 'node:crypto';
import { nowMs } from './clock';
import { createRng, randomUuid, type Rng } from './rng';
import { SEED_TIME, seedInventories, seedOrganizations, seedProjects, seedTemplates } from './seed';
import type {
  ApiBasePath,
  Inventory,
  JobTemplate,
  Organization,
  Project,
  RequestLogEntry,
  SimEvent,
  SimJob,
  SimSession,
  SimToken,
  SimUser,
  TokenScope,
} from './types';

export interface SimUserInput {
  username: string;
  password: string;
  isSuperuser?: boolean;
  isSystemAuditor?: boolean;
  /** Execute role on the job templates; defaults to true for superusers, false otherwise. */
  canLaunch?: boolean;
  firstName?: string;
  lastName?: string;
  email?: string;
  tokens?: { token: string; scope?: TokenScope }[];
}

/** AWX settings the simulator honours (defaults from awx/settings/defaults.py). */
export interface SimLimits {
  stdoutMaxBytesDisplay: number;
  eventStdoutMaxBytesDisplay: number;
  pageSize: number;
  maxPageSize: number;
  maxWebsocketEventRate: number;
  maxUiJobEvents: number;
}

export const DEFAULT_LIMITS: SimLimits = {
  stdoutMaxBytesDisplay: 1_048_576,
  eventStdoutMaxBytesDisplay: 1024,
  pageSize: 25,
  maxPageSize: 200,
  maxWebsocketEventRate: 30,
  maxUiJobEvents: 4000,
};

export const AWX_VERSION = '24.6.1';
export const NODE_NAME = 'awx-sim';

export function defaultUsers(password: string): SimUserInput[] {
  return [
    { username: 'admin', password, isSuperuser: true, email: 'admin@example.com' },
    { username: 'viewer', password: 'viewer-password', canLaunch: false, firstName: 'Vera', lastName: 'Viewer' },
  ];
}

export function generateToken(): string {
  // AWX personal access tokens are 30 random URL-safe characters.
  return randomBytes(24).toString('base64url').slice(0, 30);
}

export class SimState {
  readonly base: ApiBasePath;
  readonly rng: Rng;
  readonly limits: SimLimits;
  readonly installUuid: string;
  readonly startedAt = nowMs();

  readonly users: SimUser[] = [];
  readonly tokens = new Map<string, SimToken>();
  readonly sessions = new Map<string, SimSession>();
  readonly organizations: Organization[];
  readonly inventories: Inventory[];
  readonly projects: Project[];
  readonly templates: JobTemplate[];
  readonly jobs = new Map<number, SimJob>();
  readonly requests: RequestLogEntry[] = [];
  /** Counters the callback receiver drops while set (an AWX that never saves them). */
  lostCounters = new Set<number>();

  private nextJobId = 1;
  private nextEventId = 1;
  private nextTokenId = 1;

  constructor(base: ApiBasePath, users: SimUserInput[], seed: number, limits: SimLimits) {
    this.base = base;
    this.rng = createRng(seed);
    this.limits = limits;
    this.installUuid = randomUuid(this.rng);
    users.forEach((input, index) => this.addUser(input, index + 1));
    const owner = this.users[0]?.id ?? 1;
    this.organizations = seedOrganizations();
    this.inventories = seedInventories();
    this.projects = seedProjects();
    this.templates = seedTemplates(owner);
  }

  private addUser(input: SimUserInput, id: number): void {
    const isSuperuser = input.isSuperuser ?? false;
    this.users.push({
      id,
      username: input.username,
      password: input.password,
      firstName: input.firstName ?? '',
      lastName: input.lastName ?? '',
      email: input.email ?? '',
      isSuperuser,
      isSystemAuditor: input.isSystemAuditor ?? false,
      canLaunch: input.canLaunch ?? isSuperuser,
      created: SEED_TIME,
      lastLogin: null,
    });
    for (const token of input.tokens ?? []) this.addToken(id, token.token, token.scope ?? 'write', '');
  }

  addToken(userId: number, token: string, scope: TokenScope, description: string): SimToken {
    const record: SimToken = { id: this.nextTokenId++, token, userId, scope, description, created: nowMs() };
    this.tokens.set(token, record);
    return record;
  }

  user(id: number): SimUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  userByName(username: string): SimUser | undefined {
    return this.users.find((u) => u.username === username);
  }

  template(id: number): JobTemplate | undefined {
    return this.templates.find((t) => t.id === id);
  }

  inventory(id: number | null): Inventory | undefined {
    return id === null ? undefined : this.inventories.find((i) => i.id === id);
  }

  project(id: number): Project | undefined {
    return this.projects.find((p) => p.id === id);
  }

  job(id: number): SimJob | undefined {
    return this.jobs.get(id);
  }

  allocateJobId(): number {
    return this.nextJobId++;
  }

  allocateEventId(): number {
    return this.nextEventId++;
  }

  /** Events of a job in AWX's default order (start_line, then counter for empty events on the same line). */
  eventsOf(jobId: number): SimEvent[] {
    const job = this.jobs.get(jobId);
    if (!job) return [];
    return [...job.events].sort((a, b) => a.startLine - b.startLine || a.counter - b.counter);
  }

  jobsOfTemplate(templateId: number): SimJob[] {
    return [...this.jobs.values()].filter((j) => j.templateId === templateId);
  }

  /** Url helper: `path('jobs', 5)` → `/api/v2/jobs/5/`. */
  path(...parts: (string | number)[]): string {
    return `${this.base}${parts.map(String).join('/')}/`;
  }
}
