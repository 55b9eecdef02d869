import { useEffect, useRef, useState } from 'react';
import type { ChangeEvent, ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { callKey, useAction } from '../../app/api/hooks';
import { toContractError } from '../../app/api/client';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { CloseIcon } from '../../app/components/icons';

/** Import an OpenSLO file: pick it (or paste it), main validates it and saves it in the console's SLO folder. */
export function ImportDialog(props: { onClose: () => void }): ReactNode {
  const [filename, setFilename] = useState('');
  const [text, setText] = useState('');
  const closeRef = useRef<HTMLButtonElement>(null);
  const qc = useQueryClient();
  const { onClose } = props;
  const save = useAction('slo.import', {
    invalidates: ['slo.problems'],
    onSuccess: () => void qc.invalidateQueries({ queryKey: callKey('slo.fleet', {}) }),
  });

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const pick = (e: ChangeEvent<HTMLInputElement>): void => {
    const f = e.target.files?.[0];
    if (!f) return;
    setFilename(f.name);
    void f.text().then(setText);
  };

  return (
    <div className="overlay" onClick={onClose}>
      <div
        className="dialog slo-import"
        role="dialog"
        aria-modal="true"
        aria-labelledby="slo-import-title"
        data-testid="slo-import-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="dialog-head">
          <h2 id="slo-import-title">Import an OpenSLO file</h2>
          <button ref={closeRef} type="button" className="btn btn-icon" aria-label="Close" onClick={onClose}>
            <CloseIcon />
          </button>
        </div>
        <p className="muted small">
          <code>apiVersion: openslo/v1</code>, kind SLO (and SLI). With <code>counter: true</code> each query is a counter selector the
          console wraps as <code>sum(increase(QUERY[window]))</code>.
        </p>
        <div className="field">
          <label htmlFor="slo-import-file">File</label>
          <input id="slo-import-file" type="file" accept=".yaml,.yml,text/yaml" onChange={pick} data-testid="slo-import-file" />
        </div>
        <div className="field">
          <label htmlFor="slo-import-name">File name</label>
          <input
            id="slo-import-name"
            type="text"
            value={filename}
            onChange={(e) => setFilename(e.target.value)}
            placeholder="checkout.yaml"
            data-testid="slo-import-name"
          />
        </div>
        <div className="field">
          <label htmlFor="slo-import-text">YAML</label>
          <textarea
            id="slo-import-text"
            className="slo-import-text"
            rows={12}
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
            data-testid="slo-import-text"
          />
        </div>
        {save.error ? <ErrorPanel title="The file was not imported" error={toContractError(save.error)} testId="slo-import-error" /> : null}
        {save.data ? (
          <p className="panel panel-ok" data-testid="slo-import-done">
            {save.data.replaced ? 'Replaced' : 'Imported'} {save.data.slos.join(', ')}.
          </p>
        ) : null}
        <div className="form-actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={!filename.trim() || !text.trim() || save.isPending}
            onClick={() => save.mutate({ filename: filename.trim(), yaml: text })}
            data-testid="slo-import-submit"
          >
            {save.isPending ? 'Importing…' : 'Import'}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
