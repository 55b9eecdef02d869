// Static material for the seeded queue: who works here, what runs where, what breaks and how people
// write about it. Kept apart from the generator so the data reads like a fixture.

export const FIRST_NAMES = [
  'Abel',
  'Beth',
  'Carlos',
  'Dana',
  'Elif',
  'Farid',
  'Greta',
  'Hiro',
  'Ines',
  'Jonas',
  'Kavya',
  'Lars',
  'Maya',
  'Nikolai',
  'Olga',
  'Pedro',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Victor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoe',
  'Amir',
  'Bianca',
  'Chen',
  'Dmitri',
  'Emma',
  'Fatima',
  'Gabriel',
  'Hannah',
  'Ivan',
  'Julia',
  'Kofi',
  'Lena',
  'Marco',
  'Noor',
];

export const LAST_NAMES = [
  'Tuter',
  'Anderson',
  'Garcia',
  'Kowalski',
  'Yilmaz',
  'Haddad',
  'Lindqvist',
  'Tanaka',
  'Moreau',
  'Becker',
  'Iyer',
  'Nilsen',
  'Cohen',
  'Petrov',
  'Ivanova',
  'Silva',
  'Murphy',
  'Rossi',
  'Berg',
  'Rahman',
  'Shah',
  'Dubois',
  'Zhang',
  'Lopez',
  'Demir',
  'Fischer',
  'Karimi',
  'Romano',
  'Wang',
  'Sokolov',
  'Schmidt',
  'Okafor',
  'Costa',
  'Weber',
  'Novak',
  'Hoffmann',
  'Mensah',
  'Vogel',
  'Conti',
  'Aziz',
];

export const TITLES = [
  'Site Reliability Engineer',
  'Systems Engineer',
  'Network Engineer',
  'Database Administrator',
  'Service Desk Analyst',
  'Application Support Engineer',
  'Platform Engineer',
  'Security Analyst',
  'Operations Manager',
  'Software Engineer',
];

export const TIME_ZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'UTC', 'Asia/Kolkata'];

export interface GroupSpec {
  name: string;
  description: string;
  email: string;
}

export const GROUPS: readonly GroupSpec[] = [
  { name: 'Service Desk', description: 'First line support for all employees', email: 'servicedesk@example.com' },
  { name: 'Network Operations', description: 'WAN, LAN, VPN, load balancers and firewalls', email: 'netops@example.com' },
  { name: 'Database Administration', description: 'PostgreSQL and reporting databases', email: 'dba@example.com' },
  { name: 'Linux Operations', description: 'Linux fleet, patching, web tier', email: 'linux-ops@example.com' },
  { name: 'Windows Operations', description: 'Domain controllers and Windows servers', email: 'win-ops@example.com' },
  { name: 'Application Support', description: 'Second line for customer-facing applications', email: 'appsupport@example.com' },
  { name: 'Cloud Platform', description: 'Kubernetes clusters and cloud accounts', email: 'platform@example.com' },
  { name: 'Storage & Backup', description: 'File services, object storage, backups', email: 'storage@example.com' },
  { name: 'Security Operations', description: 'SOC, vulnerability management, certificates', email: 'soc@example.com' },
  { name: 'Site Reliability Engineering', description: 'SLOs, on-call, incident command', email: 'sre@example.com' },
  { name: 'Payments Engineering', description: 'Payments API and provider integrations', email: 'payments@example.com' },
  { name: 'Identity & Access Management', description: 'SSO, directory, MFA', email: 'iam@example.com' },
];

export interface ServiceSpec {
  name: string;
  job: string;
  group: string;
  criticality: string;
  description: string;
}

export const SERVICES: readonly ServiceSpec[] = [
  {
    name: 'Checkout',
    job: 'checkout',
    group: 'Application Support',
    criticality: '1 - most critical',
    description: 'Web shop checkout flow',
  },
  {
    name: 'Payments API',
    job: 'payments-api',
    group: 'Payments Engineering',
    criticality: '1 - most critical',
    description: 'Card and wallet payments',
  },
  {
    name: 'Customer Portal',
    job: 'customer-portal',
    group: 'Application Support',
    criticality: '2 - somewhat critical',
    description: 'Self-service portal',
  },
  {
    name: 'Search',
    job: 'search',
    group: 'Application Support',
    criticality: '2 - somewhat critical',
    description: 'Product search and indexing',
  },
  {
    name: 'Order Pipeline',
    job: 'order-pipeline',
    group: 'Site Reliability Engineering',
    criticality: '1 - most critical',
    description: 'Order events via Kafka',
  },
  {
    name: 'Email Relay',
    job: 'email-relay',
    group: 'Application Support',
    criticality: '3 - less critical',
    description: 'Outbound transactional email',
  },
  { name: 'Remote Access VPN', job: 'vpn', group: 'Network Operations', criticality: '2 - somewhat critical', description: 'Employee VPN' },
  {
    name: 'Identity Provider',
    job: 'idp',
    group: 'Identity & Access Management',
    criticality: '1 - most critical',
    description: 'SSO for staff and customers',
  },
  {
    name: 'Kubernetes Platform',
    job: 'kubernetes',
    group: 'Cloud Platform',
    criticality: '1 - most critical',
    description: 'Production clusters',
  },
  {
    name: 'Reporting',
    job: 'reporting',
    group: 'Database Administration',
    criticality: '3 - less critical',
    description: 'BI dashboards and exports',
  },
  {
    name: 'File Storage',
    job: 'file-storage',
    group: 'Storage & Backup',
    criticality: '3 - less critical',
    description: 'Team shares and backups',
  },
  {
    name: 'Corporate Directory',
    job: 'directory',
    group: 'Windows Operations',
    criticality: '2 - somewhat critical',
    description: 'Active Directory',
  },
];

export interface CiFamily {
  prefix: string;
  count: number;
  className: string;
  group: string;
  services: readonly string[];
  /** Port of the exporter Prometheus scrapes there; alert instances are "<host>:<port>". */
  port: number;
  description: string;
  subnet: number;
}

export const CI_FAMILIES: readonly CiFamily[] = [
  {
    prefix: 'web',
    count: 12,
    className: 'cmdb_ci_linux_server',
    group: 'Linux Operations',
    services: ['Checkout', 'Customer Portal'],
    port: 9100,
    description: 'Nginx web frontend',
    subnet: 10,
  },
  {
    prefix: 'app',
    count: 10,
    className: 'cmdb_ci_linux_server',
    group: 'Application Support',
    services: ['Checkout', 'Search', 'Customer Portal'],
    port: 8080,
    description: 'Java application server',
    subnet: 11,
  },
  {
    prefix: 'pay',
    count: 4,
    className: 'cmdb_ci_linux_server',
    group: 'Payments Engineering',
    services: ['Payments API'],
    port: 8080,
    description: 'Payments API node',
    subnet: 12,
  },
  {
    prefix: 'db',
    count: 6,
    className: 'cmdb_ci_linux_server',
    group: 'Database Administration',
    services: ['Checkout', 'Reporting', 'Payments API'],
    port: 9187,
    description: 'PostgreSQL 15 server',
    subnet: 20,
  },
  {
    prefix: 'k8s-node',
    count: 8,
    className: 'cmdb_ci_linux_server',
    group: 'Cloud Platform',
    services: ['Kubernetes Platform'],
    port: 9100,
    description: 'Kubernetes worker node',
    subnet: 30,
  },
  {
    prefix: 'kafka',
    count: 5,
    className: 'cmdb_ci_linux_server',
    group: 'Site Reliability Engineering',
    services: ['Order Pipeline'],
    port: 9308,
    description: 'Kafka broker',
    subnet: 31,
  },
  {
    prefix: 'cache',
    count: 4,
    className: 'cmdb_ci_linux_server',
    group: 'Site Reliability Engineering',
    services: ['Checkout', 'Search'],
    port: 9121,
    description: 'Redis cache',
    subnet: 32,
  },
  {
    prefix: 'lb',
    count: 4,
    className: 'cmdb_ci_lb',
    group: 'Network Operations',
    services: ['Checkout', 'Customer Portal', 'Payments API'],
    port: 9100,
    description: 'HAProxy load balancer',
    subnet: 5,
  },
  {
    prefix: 'fs',
    count: 3,
    className: 'cmdb_ci_storage_server',
    group: 'Storage & Backup',
    services: ['File Storage'],
    port: 9100,
    description: 'NFS file server',
    subnet: 40,
  },
  {
    prefix: 'dc',
    count: 2,
    className: 'cmdb_ci_win_server',
    group: 'Windows Operations',
    services: ['Corporate Directory'],
    port: 9182,
    description: 'Domain controller',
    subnet: 50,
  },
  {
    prefix: 'mail',
    count: 2,
    className: 'cmdb_ci_linux_server',
    group: 'Application Support',
    services: ['Email Relay'],
    port: 9100,
    description: 'Postfix relay',
    subnet: 13,
  },
  {
    prefix: 'idp',
    count: 3,
    className: 'cmdb_ci_linux_server',
    group: 'Identity & Access Management',
    services: ['Identity Provider'],
    port: 8080,
    description: 'Keycloak node',
    subnet: 14,
  },
  {
    prefix: 'vpn-gw',
    count: 2,
    className: 'cmdb_ci_ip_router',
    group: 'Network Operations',
    services: ['Remote Access VPN'],
    port: 9116,
    description: 'VPN concentrator',
    subnet: 6,
  },
  {
    prefix: 'sw-core',
    count: 2,
    className: 'cmdb_ci_ip_switch',
    group: 'Network Operations',
    services: ['Remote Access VPN'],
    port: 9116,
    description: 'Core switch',
    subnet: 7,
  },
];

export interface AlertSpec {
  name: string;
  weight: number;
  families: readonly string[];
  category: string;
  subcategory: string;
  impact: readonly (readonly [string, number])[];
  urgency: readonly (readonly [string, number])[];
  summary: (host: string, service: string, job: string) => string;
  detail: (host: string, service: string, job: string) => string;
}

const HIGH = [
  ['1', 3],
  ['2', 5],
  ['3', 2],
] as const;
const MID = [
  ['1', 1],
  ['2', 5],
  ['3', 4],
] as const;
const LOW = [
  ['1', 0.3],
  ['2', 3],
  ['3', 6],
] as const;

export const ALERTS: readonly AlertSpec[] = [
  {
    name: 'HighErrorBudgetBurn',
    weight: 5,
    families: ['web', 'app', 'pay', 'idp'],
    category: 'software',
    subcategory: 'internal application',
    impact: HIGH,
    urgency: HIGH,
    summary: (_h, s) => `HighErrorBudgetBurn: ${s} is burning its 30d error budget at 14.4x`,
    detail: (h, s, j) =>
      `Alert HighErrorBudgetBurn firing for job="${j}".\nService: ${s}\nburn_rate_1h=14.6 burn_rate_5m=15.2 (threshold 14.4)\nFirst seen on ${h}.\nRunbook: https://runbooks.example.com/slo/high-error-budget-burn`,
  },
  {
    name: 'DiskAlmostFull',
    weight: 5,
    families: ['web', 'db', 'fs', 'k8s-node', 'kafka', 'mail'],
    category: 'hardware',
    subcategory: 'disk',
    impact: MID,
    urgency: MID,
    summary: (h) => `DiskAlmostFull: /var on ${h} is 93% full`,
    detail: (h) =>
      `Alert DiskAlmostFull firing.\nmountpoint=/var device=/dev/sda3 fstype=ext4\nnode_filesystem_avail_bytes / size = 6.8%, predicted full in 5h\nHost: ${h}\nRunbook: https://runbooks.example.com/linux/disk-almost-full`,
  },
  {
    name: 'ServiceDown',
    weight: 4,
    families: ['web', 'app', 'pay', 'db', 'kafka', 'cache', 'lb', 'idp', 'mail'],
    category: 'software',
    subcategory: 'internal application',
    impact: HIGH,
    urgency: HIGH,
    summary: (h, _s, j) => `ServiceDown: ${j} on ${h} has been down for 5 minutes`,
    detail: (h, s, j) =>
      `Alert ServiceDown firing: up{job="${j}"} == 0 for 5m.\nService: ${s}\nTarget: ${h}\nRunbook: https://runbooks.example.com/generic/service-down`,
  },
  {
    name: 'HighLatency',
    weight: 4,
    families: ['web', 'app', 'pay', 'idp', 'lb'],
    category: 'software',
    subcategory: 'internal application',
    impact: MID,
    urgency: HIGH,
    summary: (_h, s) => `HighLatency: p99 latency of ${s} above 800ms for 15m`,
    detail: (h, s, j) =>
      `Alert HighLatency firing for job="${j}".\nhistogram_quantile(0.99, http_request_duration_seconds) = 1.34s (threshold 0.8s)\nService: ${s}, worst instance ${h}\nRunbook: https://runbooks.example.com/slo/high-latency`,
  },
  {
    name: 'HostHighCpuLoad',
    weight: 2,
    families: ['web', 'app', 'k8s-node', 'db'],
    category: 'hardware',
    subcategory: 'cpu',
    impact: LOW,
    urgency: MID,
    summary: (h) => `HostHighCpuLoad: CPU on ${h} above 90% for 10m`,
    detail: (h) => `Alert HostHighCpuLoad firing.\n1 - avg(rate(node_cpu_seconds_total{mode="idle"}[5m])) = 0.94\nHost: ${h}`,
  },
  {
    name: 'HostOutOfMemory',
    weight: 2,
    families: ['app', 'k8s-node', 'cache', 'kafka'],
    category: 'hardware',
    subcategory: 'memory',
    impact: MID,
    urgency: MID,
    summary: (h) => `HostOutOfMemory: ${h} has less than 5% memory available`,
    detail: (h) =>
      `Alert HostOutOfMemory firing.\nnode_memory_MemAvailable_bytes / MemTotal = 3.9%\nHost: ${h}\nRunbook: https://runbooks.example.com/linux/out-of-memory`,
  },
  {
    name: 'PostgresReplicationLag',
    weight: 2,
    families: ['db'],
    category: 'database',
    subcategory: 'postgresql',
    impact: MID,
    urgency: MID,
    summary: (h) => `PostgresReplicationLag: replica ${h} is 412s behind primary`,
    detail: (h) => `Alert PostgresReplicationLag firing.\npg_replication_lag_seconds = 412 (threshold 300)\nReplica: ${h}`,
  },
  {
    name: 'KafkaConsumerLag',
    weight: 2,
    families: ['kafka'],
    category: 'software',
    subcategory: 'internal application',
    impact: MID,
    urgency: HIGH,
    summary: () => 'KafkaConsumerLag: consumer group order-processor lags 120k messages on orders.v2',
    detail: (h) =>
      `Alert KafkaConsumerLag firing.\nkafka_consumergroup_lag{group="order-processor",topic="orders.v2"} = 121384\nBroker: ${h}`,
  },
  {
    name: 'CertificateExpiringSoon',
    weight: 1,
    families: ['lb', 'idp', 'mail'],
    category: 'software',
    subcategory: 'internal application',
    impact: LOW,
    urgency: LOW,
    summary: (h) => `CertificateExpiringSoon: TLS certificate served by ${h} expires in 7 days`,
    detail: (h) =>
      `Alert CertificateExpiringSoon firing.\nprobe_ssl_earliest_cert_expiry - time() = 6.8d\nEndpoint: https://${h}.prod.example.com`,
  },
];

export interface HumanIncidentSpec {
  short: string;
  category: string;
  subcategory: string;
  group: string;
  service?: string;
}

export const HUMAN_INCIDENTS: readonly HumanIncidentSpec[] = [
  {
    short: 'Cannot connect to VPN from home office',
    category: 'network',
    subcategory: 'vpn',
    group: 'Network Operations',
    service: 'Remote Access VPN',
  },
  { short: 'Outlook not syncing on mobile phone', category: 'software', subcategory: 'email', group: 'Service Desk' },
  {
    short: 'Checkout page intermittently returns HTTP 502',
    category: 'software',
    subcategory: 'internal application',
    group: 'Application Support',
    service: 'Checkout',
  },
  {
    short: 'Customer portal very slow since this morning',
    category: 'software',
    subcategory: 'internal application',
    group: 'Application Support',
    service: 'Customer Portal',
  },
  {
    short: 'Password reset email not received',
    category: 'inquiry',
    subcategory: '',
    group: 'Identity & Access Management',
    service: 'Identity Provider',
  },
  { short: 'Printer on 3rd floor shows offline', category: 'hardware', subcategory: '', group: 'Service Desk' },
  {
    short: 'Nightly database backup job failed',
    category: 'database',
    subcategory: 'postgresql',
    group: 'Storage & Backup',
    service: 'Reporting',
  },
  { short: 'Wi-Fi keeps dropping in meeting room Atlas', category: 'network', subcategory: 'wireless', group: 'Network Operations' },
  {
    short: 'SSO login loop when opening the expense tool',
    category: 'software',
    subcategory: 'internal application',
    group: 'Identity & Access Management',
    service: 'Identity Provider',
  },
  {
    short: 'Payment provider callbacks timing out',
    category: 'software',
    subcategory: 'internal application',
    group: 'Payments Engineering',
    service: 'Payments API',
  },
  {
    short: 'Pods in payments namespace are crash looping',
    category: 'software',
    subcategory: 'internal application',
    group: 'Cloud Platform',
    service: 'Kubernetes Platform',
  },
  { short: 'DNS resolution failing for internal hosts', category: 'network', subcategory: 'dns', group: 'Network Operations' },
  { short: 'Laptop disk full, cannot install updates', category: 'hardware', subcategory: 'disk', group: 'Service Desk' },
  {
    short: 'Search results missing newly added products',
    category: 'software',
    subcategory: 'internal application',
    group: 'Application Support',
    service: 'Search',
  },
  {
    short: 'Please restore a deleted folder on the team share',
    category: 'inquiry',
    subcategory: '',
    group: 'Storage & Backup',
    service: 'File Storage',
  },
  { short: 'Suspicious sign-in alerts for the finance mailbox', category: 'software', subcategory: 'email', group: 'Security Operations' },
  {
    short: 'Order confirmation emails delayed by 30 minutes',
    category: 'software',
    subcategory: 'email',
    group: 'Application Support',
    service: 'Email Relay',
  },
  { short: 'Monitor flickering after docking station update', category: 'hardware', subcategory: 'monitor', group: 'Service Desk' },
  {
    short: 'Reporting dashboard shows data from yesterday',
    category: 'database',
    subcategory: 'postgresql',
    group: 'Database Administration',
    service: 'Reporting',
  },
  {
    short: 'Orders stuck in "processing" for more than an hour',
    category: 'software',
    subcategory: 'internal application',
    group: 'Site Reliability Engineering',
    service: 'Order Pipeline',
  },
  {
    short: 'Cannot join domain with new workstation',
    category: 'software',
    subcategory: '',
    group: 'Windows Operations',
    service: 'Corporate Directory',
  },
  {
    short: 'Antivirus blocks the build tool on developer laptops',
    category: 'software',
    subcategory: 'antivirus',
    group: 'Security Operations',
  },
];

export const WORK_NOTES: readonly string[] = [
  'Acknowledged, looking at the {service} dashboard now.',
  'Checked {host}: node_exporter reachable, no recent deploys on this host.',
  "Ran runbook 'Clear old logs on /var' via AWX job {job}: successful. /var back to 61%.",
  'Restarted the service on {host}; error rate back to baseline. Keeping this open for 30 minutes to watch.',
  'Escalating to {group}, this needs their access.',
  'Alert re-fired after the restart; still investigating.',
  'Looks related to the deployment this morning, asked the release owner to check.',
  'Opened vendor case #{case}, waiting for their response.',
  'Added 20 GB to the volume as a stop-gap; permanent fix tracked separately.',
  'Failover to the secondary completed, primary under investigation.',
  'No errors in the application log for the last 15 minutes.',
  'Customer impact confirmed by support: roughly 3% of checkouts failing.',
];

export const COMMENTS: readonly string[] = [
  'We are aware of the issue and are working on it.',
  'Colleagues in the Berlin office report the same problem.',
  'Is there an update? This blocks our release.',
  'It works again for me, thanks!',
  'Screenshot attached to the email I sent the service desk.',
];

export const CLOSE_NOTES: readonly string[] = [
  'Freed disk space and enabled log rotation for the application logs.',
  'Restarted the failing pods; root cause tracked in a problem record.',
  'User had selected the wrong VPN profile; walked them through the fix.',
  'Rolled back the faulty release; error rate back to normal.',
  'Certificate renewed and deployed to all load balancers.',
  'Replication caught up after the long-running report query was killed.',
  'Provider confirmed an outage on their side; resolved once they recovered.',
  'Duplicate of an incident already being worked on.',
];

export interface ChangeSpec {
  short: string;
  type: 'normal' | 'standard' | 'emergency';
  state: string;
  group: string;
  risk: string;
  category: string;
  /** Planned start relative to now, in hours. */
  startInHours: number;
  durationHours: number;
}

export const CHANGES: readonly ChangeSpec[] = [
  {
    short: 'Upgrade PostgreSQL 15.6 to 15.8 on db-01 to db-03',
    type: 'normal',
    state: '-5',
    group: 'Database Administration',
    risk: '3',
    category: 'Software',
    startInHours: 96,
    durationHours: 3,
  },
  {
    short: 'Increase retention of Kafka topic orders.v2 to 7 days',
    type: 'normal',
    state: '-4',
    group: 'Site Reliability Engineering',
    risk: '4',
    category: 'System Software',
    startInHours: 72,
    durationHours: 1,
  },
  {
    short: 'Rotate TLS certificate for api.example.com',
    type: 'normal',
    state: '-3',
    group: 'Security Operations',
    risk: '3',
    category: 'Service',
    startInHours: 48,
    durationHours: 1,
  },
  {
    short: 'Monthly kernel patching for the web tier',
    type: 'normal',
    state: '-2',
    group: 'Linux Operations',
    risk: '3',
    category: 'System Software',
    startInHours: 20,
    durationHours: 4,
  },
  {
    short: 'Scale Kubernetes worker pool from 8 to 12 nodes',
    type: 'normal',
    state: '-1',
    group: 'Cloud Platform',
    risk: '4',
    category: 'Hardware',
    startInHours: -1,
    durationHours: 3,
  },
  {
    short: 'Deploy checkout v2.41.0',
    type: 'normal',
    state: '0',
    group: 'Application Support',
    risk: '3',
    category: 'Applications Software',
    startInHours: -20,
    durationHours: 1,
  },
  {
    short: 'Replace failed disk in fs-02',
    type: 'normal',
    state: '3',
    group: 'Storage & Backup',
    risk: '4',
    category: 'Hardware',
    startInHours: -72,
    durationHours: 2,
  },
  {
    short: 'Migrate reporting database to the new cluster',
    type: 'normal',
    state: '4',
    group: 'Database Administration',
    risk: '2',
    category: 'Software',
    startInHours: -48,
    durationHours: 6,
  },
  {
    short: 'Add DNS record for status.example.com',
    type: 'standard',
    state: '-2',
    group: 'Network Operations',
    risk: '4',
    category: 'Network',
    startInHours: 6,
    durationHours: 1,
  },
  {
    short: 'Restart search indexer',
    type: 'standard',
    state: '-1',
    group: 'Application Support',
    risk: '4',
    category: 'Applications Software',
    startInHours: 0,
    durationHours: 1,
  },
  {
    short: 'Add monitoring scrape target for new cache nodes',
    type: 'standard',
    state: '3',
    group: 'Site Reliability Engineering',
    risk: '4',
    category: 'System Software',
    startInHours: -30,
    durationHours: 1,
  },
  {
    short: 'Emergency: roll back payments-api to v5.12.3',
    type: 'emergency',
    state: '-3',
    group: 'Payments Engineering',
    risk: '2',
    category: 'Applications Software',
    startInHours: 1,
    durationHours: 1,
  },
  {
    short: 'Emergency: block abusive IP range at the edge firewall',
    type: 'emergency',
    state: '-1',
    group: 'Network Operations',
    risk: '3',
    category: 'Network',
    startInHours: 0,
    durationHours: 1,
  },
  {
    short: 'Renew VPN concentrator licence',
    type: 'normal',
    state: '-2',
    group: 'Network Operations',
    risk: '4',
    category: 'Network',
    startInHours: 120,
    durationHours: 1,
  },
];
