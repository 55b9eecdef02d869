import type { Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../kernel/services';
import { SloService } from '../slo/slo-service';
import { sloOffline } from './slo-offline';

export interface SloFeatureOptions {
  /** The console's data folder (imported SLO files go to `<dataDir>/slos/`). */
  dataDir: string;
  /** Registers cleanup with the core (the refresh loop stops with it). */
  onDispose: (fn: () => void) => void;
  refreshMs?: number;
}

/** SLOs on Prometheus: the fleet (call and live topic), detail charts, firing alerts, problems and import. */
export function registerSloFeature(registry: Registry, s: CoreServices, opts: SloFeatureOptions): SloService {
  const slo = new SloService({
    workspace: () => s.workspace(),
    connections: s.connections,
    dataDir: opts.dataDir,
    audit: s.audit,
    ...(opts.refreshMs !== undefined ? { refreshMs: opts.refreshMs } : {}),
  });
  opts.onDispose(() => slo.dispose());
  const offline = sloOffline({ hasSloFiles: () => s.workspace().slos.files.length > 0 });
  registry
    .handle('slo.fleet', ({ refresh }) => slo.fleet(refresh ? { refresh } : {}), { offline: offline.fleet })
    .handle(
      'slo.detail',
      ({ id, widthPx, from, to }, ctx) =>
        slo.detail(id, widthPx, ctx.signal, { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }),
      { offline: offline.detail },
    )
    .handle('slo.alerts', (_a, ctx) => slo.alerts(ctx.signal))
    .handle('slo.problems', () => slo.problems())
    .handle('slo.import', ({ filename, yaml }) => slo.importFile(filename, yaml));
  registry.source('slo.fleet', (_a, emit) => slo.subscribe(emit), { offline: offline.fleetTopic }).offlineSync(offline.sync);
  return slo;
}
