import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { useUiStore } from '../state/ui';
import { SHORTCUTS } from './keyboard';
import { CloseIcon } from '../components/icons';

export function ShortcutHelp(): ReactNode {
  const open = useUiStore((s) => s.helpOpen);
  const setOpen = useUiStore((s) => s.setHelpOpen);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return undefined;
    // Focus goes into the dialog and comes back to where it was when the dialog closes.
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault();
        setOpen(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      before?.focus();
    };
  }, [open, setOpen]);

  if (!open) return null;
  return (
    <div className="overlay" onClick={() => setOpen(false)}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcut-help-title"
        data-testid="shortcut-help"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="dialog-head">
          <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
          <button
            ref={closeRef}
            type="button"
            className="btn btn-icon"
            aria-label="Close"
            onClick={() => setOpen(false)}
            data-testid="shortcut-help-close"
          >
            <CloseIcon />
          </button>
        </div>
        <table className="shortcut-table">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.description}>
                <td>
                  {s.keys.map((k, i) => (
                    <span key={k + i}>
                      {i > 0 ? ' + ' : ''}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{s.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">In a web browser, Ctrl+1…5 may switch browser tabs instead; the navigation on the left always works.</p>
      </div>
    </div>
  );
}
