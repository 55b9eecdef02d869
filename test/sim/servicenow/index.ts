// Public surface of the ServiceNow simulator for tests, benchmarks and the demo backend.
export { startServiceNowSim, defaultCredentials } from './server';
export type { SnowSim, SnowSimOptions, SimCredentials, RequestLogEntry, CloseIncidentOptions, TouchOptions } from './sim-types';
export type { FaultConfig, FaultMode } from './faults';
export { FAULT_MODES } from './faults';
export type { AclPolicy } from './acl';
export type { RateLimitRule } from './rate-limit';
export type { Row, Table, Database } from './table-store';
export type { SessionUser } from './business-rules';
export { PRIORITY_MATRIX, CHANGE_TRANSITIONS } from './business-rules';
export { escapeQueryValue, parseEncodedQuery } from './encoded-query';
export { formatGlideDateTime, parseGlideDateTime } from './time-format';
export type { DateFormat } from './time-format';
export { ADMIN_SYS_ID, MONITORING_USER_NAME } from './seed';
