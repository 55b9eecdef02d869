import type { Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../kernel/services';

/**
 * Connections and their secrets over the kernel's connection service and secret store (the kernel keeps them:
 * every feature's clients come from there). A secret goes one way: set or deleted here, only "present" comes back.
 */
export function registerConnectionsFeature(registry: Registry, s: CoreServices): void {
  registry
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
    });
  registry
    .source('connections.secretStatus', (_a, emit) => s.secrets.onStatusChange(emit))
    .source('connections.health', (_a, emit) => {
      emit(s.connections.healthList());
      return s.connections.onHealth(emit);
    });
}
