import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dialog } from 'electron';
import type { BrowserWindow } from 'electron';
import { ContractFailure } from '@shared/kernel/result';
import type { Registry } from '../core/kernel/dispatch/registry';

// `runbooks.pdf`: the runbook's print layout (which the page shows before it asks) rendered by Chromium's
// printToPDF with the print stylesheet, saved where the user chooses. Desktop only: under `toc serve` the
// browser's own print dialog does this, and the call is not registered.

/** A file name from a runbook title: letters, digits and dashes, never a path. */
export function pdfFileName(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 80);
  return `${base || 'runbook'}.pdf`;
}

export function registerRunbookPdf(
  registry: Registry,
  deps: { window: () => BrowserWindow | null; documents: () => string; log: (l: string) => void },
): void {
  registry.handle('runbooks.pdf', async ({ id, title }) => {
    const win = deps.window();
    if (!win || win.isDestroyed()) throw new ContractFailure('not_configured', 'There is no console window to print from.');
    const choice = await dialog.showSaveDialog(win, {
      // The same call prints a runbook or the Insights report: the dialog names what is being saved.
      title: `Save “${title ?? id}” as PDF`,
      defaultPath: path.join(deps.documents(), pdfFileName(title ?? id)),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    });
    if (choice.canceled || !choice.filePath) return { saved: false, file: null };
    const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4', preferCSSPageSize: true });
    await writeFile(choice.filePath, pdf);
    deps.log(`${id} saved as PDF`);
    return { saved: true, file: choice.filePath };
  });
}
