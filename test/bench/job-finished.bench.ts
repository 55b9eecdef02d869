// A finished job of about 1.6 MB (the Fleet report template, 20 hosts × 8 checks × 100 loop items: ~16,000
// events): how long `toc job follow` takes to print it, over how long AWX's own `stdout?format=txt_download`
// takes, measured in the same run (goal ≤ 3×). Also the events path (what the log viewer reads: every event,
// in pages of 200) for comparison. Each figure is the median of 5; the printed bytes are checked against the
// download every time.
import { awxHarness } from '../helpers/awx-harness';
import { followJob } from '../../electron/cli/commands/job-follow';
import { startAwxSim, TEMPLATE_IDS } from '../sim/awx';
import { median, writeSection } from './lib/report';

const RUNS = 5;
const ITEMS = Number(process.env.JOB_FINISHED_ITEMS ?? 135);

async function main(): Promise<void> {
  const sim = await startAwxSim({ wsMode: 'lossy', seed: 16 });
  const h = await awxHarness(sim);
  try {
    const r = await fetch(`${sim.url}/api/v2/job_templates/${TEMPLATE_IDS.fleetReport}/launch/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sim.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ extra_vars: { items: ITEMS } }),
    });
    const jobId = ((await r.json()) as { job: number }).job;
    const job = await sim.waitForJob(jobId, (j) => j.emittedEvents !== null && j.events.length === j.emittedEvents, 600_000);
    const events = job.events.length;

    const download = async (): Promise<{ ms: number; text: string }> => {
      const t0 = performance.now();
      const text = await fetch(`${sim.url}/api/v2/jobs/${jobId}/stdout/?format=txt_download`, {
        headers: { Authorization: `Bearer ${sim.token}` },
      }).then((x) => x.text());
      return { ms: performance.now() - t0, text };
    };
    const follow = async (): Promise<{ ms: number; text: string; code: number }> => {
      let text = '';
      const t0 = performance.now();
      const code = await followJob(h.core, {
        connectionId: 'awx',
        jobId,
        ansi: false,
        out: { write: (s: string) => (text += s) },
        err: { write: () => true },
      });
      return { ms: performance.now() - t0, text, code };
    };
    const reference = (await download()).text;
    const dl: number[] = [];
    const cli: number[] = [];
    const ev: number[] = [];
    let same = true;
    for (let i = 0; i < RUNS; i++) {
      const d = await download();
      dl.push(d.ms);
      const f = await follow();
      cli.push(f.ms);
      if (f.text !== reference.replaceAll('\r\n', '\n') || f.code !== 0) same = false;
    }
    // The follower pool keeps a finished job's log for a while: a fresh harness per run reads every event again.
    for (let i = 0; i < 3; i++) {
      const fresh = await awxHarness(sim);
      try {
        const t0 = performance.now();
        const f = await fresh.follow(jobId, { timeoutMs: 600_000 });
        ev.push(performance.now() - t0);
        if (f.lines.length !== reference.split('\n').length - 1) same = false;
      } finally {
        await fresh.close();
      }
    }
    const mb = Buffer.byteLength(reference) / 1e6;
    const ratio = median(cli) / median(dl);
    const body = `| what | median of ${RUNS} (events path: of 3) |
| --- | --- |
| AWX's own \`stdout?format=txt_download\` | ${median(dl).toFixed(1)} ms |
| \`toc job follow\` (in process: job, last event, one \`txt_download\`) | ${median(cli).toFixed(1)} ms |
| **ratio** (goal ≤ 3×) | **${ratio.toFixed(2)}×** ${ratio <= 3 ? '✓' : '✗'} |
| the events path (what the log viewer reads: ${events.toLocaleString('en')} events in pages of 200) | ${median(ev).toFixed(0)} ms |

The job: Fleet report with \`items: ${ITEMS}\` — ${events.toLocaleString('en')} events, ${mb.toFixed(2)} MB of text,
${(reference.split('\n').length - 1).toLocaleString('en')} lines; printed bytes equal the download in every run: ${same ? '✓' : '✗'}.
\`toc job follow\` of a finished job asks for the job, for its last event (\`order_by=-counter&page_size=1\`: its
\`count\` must equal its counter, so no counter is missing) and downloads once; the download must have exactly the
last event's \`end_line\` lines, else the events are followed. Command: \`npm run bench -- job-finished\`.`;
    writeSection('job-finished', 'Job log: a finished 1.6 MB job printed by `toc job follow`', body);
    process.stdout.write(`${body}\n`);
  } finally {
    await h.close();
    await sim.stop();
  }
}

await main();
