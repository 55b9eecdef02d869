// Public surface of the AWX simulator for tests, benchmarks and the demo.
export { startAwxSim, type AwxSim, type AwxSimOptions } from './server';
export { TEMPLATE_IDS, INVENTORY_IDS, PROJECT_ID } from './seed';
export { defaultUsers, type SimUserInput, type SimLimits } from './state';
export { DEFAULT_TIMING, type JobTiming } from './jobs';
export type { ApiBasePath, JobStatus, SimEvent, SimJob, TokenScope, WsMode } from './types';
export { addHistoricJob } from './history';
export type { HistoricJob } from './history';
