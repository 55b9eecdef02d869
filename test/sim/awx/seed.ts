// The objects every simulator starts with. Ids are stable so tests and the demo can name them.
// AWX numbers projects and job templates from one sequence (unified job templates): the project is 6,
// templates start at 7.
import type { AskFlag, Inventory, JobTemplate, Organization, Project, SurveySpec } from './types';
import { ASK_FLAGS } from './types';

export const SEED_TIME = Date.parse('2024-06-03T08:00:00Z');

export const TEMPLATE_IDS = {
  diskCleanup: 7,
  restartService: 8,
  collectLogs: 9,
  failOnOneHost: 10,
  bigOutput: 11,
  deployApp: 12,
  restartProduction: 13,
  slowRollout: 14,
  brokenEnvironment: 15,
  fleetReport: 16,
} as const;

export const INVENTORY_IDS = { demo: 1, webTier: 2, fleet: 3 } as const;

/** Hosts of the "Fleet" inventory (all run locally): enough for thousands of events at hundreds per second. */
export const FLEET_HOSTS = 20;
export const PROJECT_ID = 6;

export function seedOrganizations(): Organization[] {
  return [{ id: 1, name: 'Default', description: '' }];
}

export function seedInventories(): Inventory[] {
  return [
    {
      id: INVENTORY_IDS.demo,
      name: 'Demo Inventory',
      description: '',
      organization: 1,
      hosts: [{ id: 1, name: 'localhost' }],
    },
    {
      id: INVENTORY_IDS.webTier,
      name: 'Web tier',
      description: 'Two web servers (both run locally in the simulator)',
      organization: 1,
      hosts: [
        { id: 2, name: 'web1' },
        { id: 3, name: 'web2' },
      ],
    },
    {
      id: INVENTORY_IDS.fleet,
      name: 'Fleet',
      description: 'Twenty hosts (all run locally in the simulator)',
      organization: 1,
      hosts: Array.from({ length: FLEET_HOSTS }, (_h, i) => ({ id: 4 + i, name: `host${String(i + 1).padStart(2, '0')}` })),
    },
  ];
}

export function seedProjects(): Project[] {
  return [
    {
      id: PROJECT_ID,
      name: 'Ops runbooks',
      description: 'Runbook playbooks of the operations team',
      organization: 1,
      scmType: 'git',
      scmUrl: 'https://git.example.com/ops/runbooks.git',
      scmRevision: '3f9c2b7d1e0a4c6b8d2f1a9e7c5b3d1f0e2a4c6b',
    },
  ];
}

const restartSurvey: SurveySpec = {
  name: '',
  description: '',
  spec: [
    {
      question_name: 'Target host',
      question_description: 'Host the service runs on',
      required: true,
      type: 'text',
      variable: 'target_host',
      min: 1,
      max: 64,
      default: '',
      choices: '',
      new_question: true,
    },
    {
      question_name: 'Service',
      question_description: 'Service to restart',
      required: true,
      type: 'multiplechoice',
      variable: 'service_name',
      min: null,
      max: null,
      default: 'nginx',
      choices: ['nginx', 'postgresql', 'redis'],
    },
    {
      question_name: 'Health-check retries',
      question_description: 'How often to probe the service after the restart',
      required: false,
      type: 'integer',
      variable: 'health_check_retries',
      min: 1,
      max: 10,
      default: 3,
      choices: '',
    },
    {
      question_name: 'Service admin password',
      question_description: 'Used to authenticate the health probe',
      required: false,
      type: 'password',
      variable: 'admin_password',
      min: 0,
      max: 128,
      default: 'probe-secret',
      choices: '',
    },
  ],
};

const collectLogsSurvey: SurveySpec = {
  name: 'Log collection',
  description: 'Which logs to bundle',
  spec: [
    {
      question_name: 'Log sources',
      question_description: '',
      required: true,
      type: 'multiselect',
      variable: 'log_sources',
      min: null,
      max: null,
      default: 'syslog\napp',
      choices: 'syslog\napp\naudit',
    },
    {
      question_name: 'Hours to look back',
      question_description: '',
      required: false,
      type: 'float',
      variable: 'since_hours',
      min: 0.5,
      max: 168,
      default: 24,
      choices: '',
    },
    {
      question_name: 'Ticket note',
      question_description: 'Free text attached to the bundle',
      required: false,
      type: 'textarea',
      variable: 'ticket_note',
      min: 0,
      max: 500,
      default: '',
      choices: '',
    },
  ],
};

function asks(enabled: AskFlag[] = []): Record<AskFlag, boolean> {
  const out = {} as Record<AskFlag, boolean>;
  for (const flag of ASK_FLAGS) out[flag] = enabled.includes(flag);
  return out;
}

interface TemplateSeed {
  id: number;
  name: string;
  description: string;
  playbook: string;
  inventory?: number;
  extraVars?: string;
  ask?: AskFlag[];
  survey?: SurveySpec;
  allowSimultaneous?: boolean;
  forks?: number;
  simulate?: JobTemplate['simulate'];
  labels?: { id: number; name: string }[];
}

const TEMPLATE_SEEDS: TemplateSeed[] = [
  {
    id: TEMPLATE_IDS.diskCleanup,
    name: 'Disk cleanup',
    description: 'Removes log files older than max_age_days',
    playbook: 'disk_cleanup.yml',
    extraVars: '---\nmax_age_days: 7\ncleanup_pattern: "*.log"\n',
    labels: [{ id: 1, name: 'disk' }],
  },
  {
    id: TEMPLATE_IDS.restartService,
    name: 'Restart service',
    description: 'Restarts a service and waits for its health check',
    playbook: 'restart_service.yml',
    survey: restartSurvey,
    labels: [{ id: 2, name: 'service' }],
  },
  {
    id: TEMPLATE_IDS.collectLogs,
    name: 'Collect logs',
    description: 'Bundles recent logs into an archive',
    playbook: 'collect_logs.yml',
    survey: collectLogsSurvey,
  },
  {
    id: TEMPLATE_IDS.failOnOneHost,
    name: 'Fail on one host',
    description: 'Checks both web servers; web2 fails its check',
    playbook: 'fail_on_one_host.yml',
    inventory: INVENTORY_IDS.webTier,
  },
  {
    id: TEMPLATE_IDS.bigOutput,
    name: 'Big output (200k lines)',
    description: 'One task printing 200,000 lines',
    playbook: 'big_output.yml',
    extraVars: '---\nline_count: 200000\n',
  },
  {
    id: TEMPLATE_IDS.deployApp,
    name: 'Deploy app (prompt on launch)',
    description: 'Prompts for variables and limit',
    playbook: 'deploy_app.yml',
    inventory: INVENTORY_IDS.webTier,
    extraVars: '---\napp_name: storefront\napp_version: 1.4.2\n',
    ask: ['ask_variables_on_launch', 'ask_limit_on_launch'],
  },
  {
    id: TEMPLATE_IDS.restartProduction,
    name: 'Restart web tier (production)',
    description: 'PRODUCTION: restarts nginx on every web server',
    playbook: 'restart_service.yml',
    inventory: INVENTORY_IDS.webTier,
    extraVars: '---\ntarget_host: web.prod.example.com\nservice_name: nginx\nhealth_check_retries: 3\n',
    labels: [{ id: 3, name: 'production' }],
  },
  {
    id: TEMPLATE_IDS.slowRollout,
    name: 'Slow rollout',
    description: 'Takes a step every half second; long enough to watch or cancel',
    playbook: 'slow_rollout.yml',
    extraVars: '---\nsteps: 20\nstep_seconds: 0.5\n',
    ask: ['ask_variables_on_launch'],
    allowSimultaneous: true,
  },
  {
    id: TEMPLATE_IDS.brokenEnvironment,
    name: 'Broken environment (error)',
    description: 'Its execution environment cannot start: the job ends in error with a traceback',
    playbook: 'disk_cleanup.yml',
    simulate: 'error',
  },
  {
    id: TEMPLATE_IDS.fleetReport,
    name: 'Fleet report (many hosts × tasks)',
    description: 'Eight checks on twenty hosts, `items` loop items each: thousands of events at hundreds per second',
    playbook: 'fleet_report.yml',
    inventory: INVENTORY_IDS.fleet,
    extraVars: '---\nitems: 12\n',
    ask: ['ask_variables_on_launch'],
    allowSimultaneous: true,
    forks: 20,
  },
];

export function seedTemplates(createdBy: number): JobTemplate[] {
  return TEMPLATE_SEEDS.map((seed) => {
    const created = SEED_TIME + seed.id * 60_000;
    return {
      id: seed.id,
      name: seed.name,
      description: seed.description,
      jobType: 'run',
      inventory: seed.inventory ?? INVENTORY_IDS.demo,
      project: PROJECT_ID,
      playbook: seed.playbook,
      scmBranch: '',
      forks: seed.forks ?? 0,
      limit: '',
      verbosity: 0,
      extraVars: seed.extraVars ?? '---',
      jobTags: '',
      skipTags: '',
      timeout: 0,
      diffMode: false,
      becomeEnabled: false,
      allowSimultaneous: seed.allowSimultaneous ?? false,
      ask: asks(seed.ask),
      surveyEnabled: seed.survey !== undefined,
      surveySpec: seed.survey ? structuredClone(seed.survey) : null,
      created,
      modified: created,
      createdBy,
      labels: seed.labels ?? [],
      ...(seed.simulate ? { simulate: seed.simulate } : {}),
    };
  });
}
