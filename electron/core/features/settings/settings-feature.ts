import type { Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../kernel/services';

/** The console's own settings over the kernel's settings service (one copy, kept by main). */
export function registerSettingsFeature(registry: Registry, s: CoreServices): void {
  registry.handle('settings.get', () => s.settings.getUi()).handle('settings.update', (patch) => s.settings.updateUi(patch));
  registry.source('settings.changed', (_a, emit) => s.settings.onUiChange(emit));
}
