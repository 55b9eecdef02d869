import type { Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../kernel/services';

/** The activity view's reads of the kernel's audit log: pages newest first, and each line as it is appended. */
export function registerActivityFeature(registry: Registry, s: CoreServices): void {
  registry.handle('activity.list', (args) => s.audit.list(args));
  registry.source('activity.appended', (_a, emit) => s.audit.onAppend(emit));
}
