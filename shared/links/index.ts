// Every link the console builds to another system, in one place: Grafana dashboards, Prometheus queries,
// ServiceNow and AWX records. Pure functions; the views and the core use these and nothing else.
export { grafanaDashboardUrl, safeHttpUrl } from '../alerts/links';
export { alertsExpr, prometheusGraphUrl, promString, sloErrorRatioExpr } from './prometheus';
export { recordLink } from '../incidents/queue';
export { consoleRoute } from './console';
