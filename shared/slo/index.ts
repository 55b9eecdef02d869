// The SLO engine's pure parts: definitions (OpenSLO, Sloth/Pyrra rules), math, batched fleet queries, charts.
export * from './types';
export * from './duration';
export * from './prom-values';
export * from './promql';
export * from './burn-rate';
export * from './error-budget';
export * from './alerts';
export * from './policy';
export * from './windows';
export * from './openslo';
export * from './fleet-plan';
export * from './fleet-results';
export * from './fleet-run';
export * from './recording-rules';
export * from './downsample';
export * from './grouped-queries';
export * from './step-series';
