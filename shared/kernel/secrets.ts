import { z } from 'zod';

export const SecretStatus = z.object({
  backend: z.enum(['keychain', 'memory']),
  state: z.enum(['ok', 'locked', 'no-daemon', 'no-dbus', 'unavailable', 'timeout', 'unknown']),
  /** The keychain's own words for what went wrong. */
  reason: z.string().optional(),
  /** What the user can do about it. */
  remedy: z.string().optional(),
  checkedAt: z.string(),
});
export type SecretStatus = z.infer<typeof SecretStatus>;
