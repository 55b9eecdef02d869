import type { AuthType, ConnectionKind } from '@shared/connections/model';

// Display names only: kept apart from the zod-backed form model so views can use them without loading zod.

export const KIND_LABELS: Record<ConnectionKind, string> = {
  prometheus: 'Prometheus',
  servicenow: 'ServiceNow',
  awx: 'AWX / Automation Controller',
  alertmanager: 'Alertmanager',
};

export const AUTH_LABELS: Record<AuthType, string> = {
  none: 'No authentication',
  basic: 'Basic (user + password)',
  bearer: 'Bearer token',
  mtls: 'Client certificate (mTLS)',
  oauth: 'OAuth password grant',
};
