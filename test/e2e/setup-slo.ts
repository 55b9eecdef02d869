import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument, type YAMLSeq } from 'yaml';
import { startDemoPrometheus } from '../sim/demo-prometheus';

// The SLO part of the e2e setup: the demo Prometheus (history that ends now, SLOs in every policy tier,
// ALERTS for the timeline) plus a connection to it and its OpenSLO files in the e2e workspace. Called from
// global-setup after the workspace file is written and before `toc serve` starts; returns the teardown.
export async function setupSlo(configFile: string): Promise<() => Promise<void>> {
  const prom = await startDemoPrometheus({ log: (l) => process.stderr.write(`[e2e slo] ${l}\n`) });
  const doc = parseDocument(readFileSync(configFile, 'utf8'));
  const connections = doc.get('connections') as YAMLSeq | undefined;
  const entry = {
    id: 'slo-prometheus',
    kind: 'prometheus',
    name: 'SLO Prometheus',
    environment: 'test',
    url: prom.url,
    auth: { type: 'none' },
  };
  if (connections) connections.add(doc.createNode(entry));
  else doc.set('connections', [entry]);
  doc.set('slos', { connection: 'slo-prometheus', files: [`${prom.sloDir}/*.yaml`] });
  writeFileSync(configFile, doc.toString());
  process.env.TOC_E2E_SLO_PROMETHEUS = prom.url;
  // The burn-rate rules first run up to one interval (15 s) after start; the alert specs need them firing.
  const deadline = Date.now() + 45_000;
  for (;;) {
    const body = (await (await fetch(`${prom.url}/api/v1/alerts`)).json()) as { data?: { alerts?: { state: string }[] } };
    if ((body.data?.alerts ?? []).filter((a) => a.state === 'firing').length >= 3) break;
    if (Date.now() > deadline) throw new Error('the demo burn-rate alerts did not fire within 45 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  return prom.stop;
}
