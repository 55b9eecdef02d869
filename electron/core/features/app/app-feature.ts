import { ContractFailure } from '@shared/kernel/result';
import type { Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../core';

/** The foundation's part of the contract: app info, workspace, connections, secrets, settings, audit. */
export function registerAppFeature(registry: Registry, s: CoreServices): void {
  registry
    .handle('app.info', () => s.info())
    .handle('workspace.problems', () => s.workspaceProblems())
    .handle('workspace.reload', () => s.reloadWorkspace())
    .handle('connections.list', () => s.connections.list())
    .handle('connections.save', (args) => s.connections.save(args))
    .handle('connections.remove', async ({ id }) => ({ removed: await s.connections.remove(id) }))
    .handle('connections.test', ({ id }) => s.connections.test(id))
    .handle('connections.health', () => s.connections.healthList())
    .handle('secrets.status', () => s.secrets.status())
    .handle('secrets.retry', () => s.secrets.retry())
    .handle('secrets.set', async ({ connectionId, field, value }) => {
      await s.connections.setSecret(connectionId, field, value);
      return { present: true };
    })
    .handle('secrets.delete', async ({ connectionId, field }) => {
      await s.connections.deleteSecret(connectionId, field);
      return { present: false };
    })
    .handle('settings.get', () => s.settings.getUi())
    .handle('settings.update', (patch) => s.settings.updateUi(patch))
    .handle('audit.list', (args) => s.audit.list(args))
    .handle('shell.openExternal', ({ url }) => {
      if (!s.openExternal) throw new ContractFailure('not_configured', 'Opening links is handled by the browser here.');
      return { opened: s.openExternal(url) };
    });

  registry
    .source('secrets.status', (_a, emit) => s.secrets.onStatusChange(emit))
    .source('connections.health', (_a, emit) => {
      emit(s.connections.healthList());
      return s.connections.onHealth(emit);
    })
    .source('settings.changed', (_a, emit) => s.settings.onUiChange(emit))
    .source('audit.appended', (_a, emit) => s.audit.onAppend(emit))
    .source('app.navigate', (_a, emit) => s.onNavigate(emit));
}
