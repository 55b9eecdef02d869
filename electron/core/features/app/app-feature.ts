import { ContractFailure } from '@shared/kernel/result';
import type { Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../kernel/services';

/** The foundation's part of the contract: app info, workspace, connections, secrets, settings, audit. */
export function registerAppFeature(registry: Registry, s: CoreServices): void {
  registry
    .handle('app.info', () => s.info())
    .handle('app.workspaceProblems', () => s.workspaceProblems())
    .handle('app.reloadWorkspace', () => s.reloadWorkspace())
    .handle('connections.list', () => s.connections.list())
    .handle('connections.save', (args) => s.connections.save(args))
    .handle('connections.remove', async ({ id }) => ({ removed: await s.connections.remove(id) }))
    .handle('connections.test', ({ id }) => s.connections.test(id))
    .handle('connections.health', () => s.connections.healthList())
    .handle('connections.secretStatus', () => s.secrets.status())
    .handle('connections.retrySecrets', () => s.secrets.retry())
    .handle('connections.setSecret', async ({ connectionId, field, value }) => {
      await s.connections.setSecret(connectionId, field, value);
      return { present: true };
    })
    .handle('connections.deleteSecret', async ({ connectionId, field }) => {
      await s.connections.deleteSecret(connectionId, field);
      return { present: false };
    })
    .handle('settings.get', () => s.settings.getUi())
    .handle('settings.update', (patch) => s.settings.updateUi(patch))
    .handle('activity.list', (args) => s.audit.list(args))
    .handle('app.openExternal', ({ url }) => {
      if (!s.openExternal) throw new ContractFailure('not_configured', 'Opening links is handled by the browser here.');
      return { opened: s.openExternal(url) };
    });

  registry
    .source('connections.secretStatus', (_a, emit) => s.secrets.onStatusChange(emit))
    .source('connections.health', (_a, emit) => {
      emit(s.connections.healthList());
      return s.connections.onHealth(emit);
    })
    .source('settings.changed', (_a, emit) => s.settings.onUiChange(emit))
    .source('activity.appended', (_a, emit) => s.audit.onAppend(emit))
    .source('app.navigate', (_a, emit) => s.onNavigate(emit));
}
