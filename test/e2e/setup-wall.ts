import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { startWallStack } from './wall-stack';

// The wall part of the e2e setup (issue 6): its own backends (ServiceNow and AWX simulators, Alertmanager, the
// e2e Prometheus through a relay) and a second `toc serve --wall` with a workspace that names five wall pages.
// Called from global-setup after setup-slo (it reuses that Prometheus and its SLO files); returns the teardown.
// Specs read TOC_E2E_WALL_URL (the serve URL with its token) and TOC_E2E_SLO_FILES (for stacks of their own).
export async function setupWall(mainConfig: string): Promise<() => Promise<void>> {
  const doc = parseDocument(readFileSync(mainConfig, 'utf8')).toJS() as { slos?: { files?: string[] } };
  const sloFiles = doc.slos?.files ?? [];
  const prometheusUrl = process.env.TOC_E2E_SLO_PROMETHEUS ?? '';
  process.env.TOC_E2E_SLO_FILES = JSON.stringify(sloFiles);
  const stack = await startWallStack({
    name: 'NOC wall (e2e)',
    prometheusUrl,
    sloFiles,
    alertmanager: true,
    wall: {
      interval: 6,
      refresh: 2,
      pages: `  pages:
    - {title: Service level objectives, kind: slos}
    - {title: Incidents, kind: incidents}
    - {title: Firing alerts, kind: alerts}
    - {title: Running jobs, kind: jobs}
    - {title: Changes in flight, kind: changes}
`,
    },
  });
  const serve = await stack.serve({ wall: true });
  process.env.TOC_E2E_WALL_URL = serve.url;
  process.env.TOC_E2E_WALL_DATA = stack.dataDir;
  return () => stack.close();
}
