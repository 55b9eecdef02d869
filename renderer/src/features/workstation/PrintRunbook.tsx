import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { MdNode, Runbook } from '@shared/runbooks/model';
import { useAppInfo } from '../../app/api/app-queries';
import { useCall, useClient } from '../../app/api/hooks';
import { useWorkstation } from './workstation-store';
import { formatDateTime } from '../../app/format/time';

// A runbook laid out for paper: the binder on the wall outlives the wiki, the VPN and the network. The print
// stylesheet (workstation.css) shows only this sheet when printing. In a browser, Print opens the browser's
// print dialog (which also saves as PDF); in the desktop app, "Save as PDF" asks main to render the page with
// printToPDF and to save it where the user chooses.

function render(nodes: readonly MdNode[], prefix: string): ReactNode[] {
  return nodes.map((n, i) => {
    const key = `${prefix}.${i}`;
    if (n.t === 'text') return n.v;
    const kids = render(n.children, key);
    switch (n.tag) {
      case 'a':
        // On paper a link is its address.
        return (
          <span key={key} className="print-link">
            {kids}
            {n.href ? <span className="print-href"> ({n.href})</span> : null}
          </span>
        );
      case 'ol':
        return (
          <ol key={key} start={n.start}>
            {kids}
          </ol>
        );
      case 'br':
        return <br key={key} />;
      case 'hr':
        return <hr key={key} />;
      default: {
        const Tag = n.tag;
        return <Tag key={key}>{kids}</Tag>;
      }
    }
  });
}

export function RunbookSheet(props: { runbook: Runbook; printedAt: Date }): ReactNode {
  const r = props.runbook;
  return (
    <article className="print-sheet" data-testid="print-sheet" data-runbook={r.id}>
      <header className="print-head">
        <h1>{r.title}</h1>
        <p className="print-meta">
          {r.awx ? `AWX job template: ${r.awx.template}${r.production ? ' (production)' : ''}` : 'Procedure (no automation)'}
          {r.services.length ? ` · services: ${r.services.join(', ')}` : ''}
          {r.alerts.length ? ` · alerts: ${r.alerts.join(', ')}` : ''}
        </p>
        <p className="print-meta">
          File {r.file} · modified {r.modified.slice(0, 16).replace('T', ' ')} UTC · printed{' '}
          {formatDateTime(props.printedAt, { seconds: false })}
        </p>
      </header>
      <div className="print-body">{render(r.body, 'b')}</div>
    </article>
  );
}

export function PrintRunbook(): ReactNode {
  const id = useWorkstation((s) => s.printRunbook);
  const close = useWorkstation((s) => s.setPrintRunbook);
  const info = useAppInfo();
  const client = useClient();
  const runbook = useCall('runbooks.get', { id: id ?? '' }, { enabled: id !== null });
  const [pdf, setPdf] = useState<string | null>(null);

  useEffect(() => {
    document.documentElement.classList.toggle('printing-runbook', id !== null);
    setPdf(null);
    return () => document.documentElement.classList.remove('printing-runbook');
  }, [id]);

  if (id === null) return null;
  const desktop = info.data?.transport === 'ipc';
  const savePdf = async (): Promise<void> => {
    try {
      const r = await client.call('runbooks.pdf', { id, ...(runbook.data ? { title: runbook.data.title } : {}) });
      setPdf(r.saved ? `Saved to ${r.file ?? 'the chosen file'}.` : 'Not saved.');
    } catch (e) {
      setPdf(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="print-overlay" data-testid="print-overlay">
      <div className="print-toolbar no-print" role="toolbar" aria-label="Print runbook">
        <button type="button" className="btn btn-primary" onClick={() => window.print()} disabled={!runbook.data} data-testid="print-now">
          Print…
        </button>
        {desktop ? (
          <button type="button" className="btn" onClick={() => void savePdf()} disabled={!runbook.data} data-testid="print-pdf">
            Save as PDF…
          </button>
        ) : (
          <span className="muted small">Choose “Save as PDF” as the printer to keep a file.</span>
        )}
        <button type="button" className="btn" onClick={() => close(null)} data-testid="print-close">
          Close
        </button>
        {pdf ? <span className="small">{pdf}</span> : null}
      </div>
      {runbook.data ? (
        <RunbookSheet runbook={runbook.data} printedAt={new Date()} />
      ) : runbook.isError ? (
        <p className="print-error">The runbook could not be read: {runbook.error.message}</p>
      ) : (
        <p className="muted">Loading the runbook…</p>
      )}
    </div>
  );
}

/** The button a runbook view shows: opens the print layout (Print…, and Save as PDF in the desktop app). */
export function PrintRunbookButton(props: { id: string }): ReactNode {
  const open = useWorkstation((s) => s.setPrintRunbook);
  return (
    <button type="button" className="btn btn-small runbook-print" onClick={() => open(props.id)} data-testid="runbook-print">
      Print / PDF…
    </button>
  );
}
