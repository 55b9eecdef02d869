import { ContractFailure } from '@shared/kernel/result';
import type { Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../kernel/services';

/** The console itself: its info, the workspace file's problems and reload, links to the browser, navigation. */
export function registerAppFeature(registry: Registry, s: CoreServices): void {
  registry
    .handle('app.info', () => s.info())
    .handle('app.workspaceProblems', () => s.workspaceProblems())
    .handle('app.reloadWorkspace', () => s.reloadWorkspace())
    .handle('app.openExternal', ({ url }) => {
      if (!s.openExternal) throw new ContractFailure('not_configured', 'Opening links is handled by the browser here.');
      return { opened: s.openExternal(url) };
    });
  registry.source('app.navigate', (_a, emit) => s.onNavigate(emit));
}
