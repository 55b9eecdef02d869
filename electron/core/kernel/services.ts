import type { AppInfo, NavigateTarget, WorkspaceProblem } from '@shared/app/contract';
import type { Operator } from '@shared/app/operator';
import type { SecretStatus } from '@shared/kernel/secrets';
import type { AuditLog } from './audit/audit-log';
import type { ConnectionService, SecretsPort } from './connections/connection-service';
import type { SettingsService } from './settings/settings-service';
import type { Workspace } from './workspace/load-workspace';

// What every feature receives from the composition root (core.ts): the kernel's services, nothing of another
// feature. It lives in the kernel, not in core.ts, so that features never import the file that imports them.

/** The secret store as the core needs it: the keychain (or its session-only fallback) with its health. */
export interface SecretStorePort extends SecretsPort {
  status(): SecretStatus;
  retry(): Promise<SecretStatus>;
  onStatusChange(cb: (s: SecretStatus) => void): () => void;
}

export interface CoreServices {
  info(): AppInfo;
  workspace(): Workspace;
  workspaceProblems(): WorkspaceProblem[];
  reloadWorkspace(): Promise<WorkspaceProblem[]>;
  connections: ConnectionService;
  settings: SettingsService;
  secrets: SecretStorePort;
  audit: AuditLog;
  /** The engineer every write names (workspace on a wall, else Settings, TOC_OPERATOR, the OS user). */
  operator(): Operator;
  openExternal: ((url: string) => boolean) | undefined;
  navigate(target: NavigateTarget): void;
  onNavigate(cb: (t: NavigateTarget) => void): () => void;
}
