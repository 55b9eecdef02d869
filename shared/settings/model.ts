import { z } from 'zod';
import { OperatorName } from '../app/operator';

// UI settings the user may change from the renderer. Connections added in the UI are kept by main in the same
// store but travel through connections.* calls, never through settings.*.

export const UiSettings = z
  .object({
    theme: z.enum(['dark', 'light']),
    notifications: z
      .object({
        newP1P2: z.boolean(),
        burnAlerts: z.boolean(),
        jobFinished: z.boolean(),
      })
      .strict(),
    /** The environment the switcher shows; null = all. */
    environment: z.string().max(40).nullable(),
    /** Desktop only: open the console when the user logs in, as a workstation or as a wall. Absent = off. */
    startAtLogin: z.enum(['off', 'desktop', 'wall']).optional(),
    /** Who the console names in work notes, job variables, silences and the audit log; absent = the OS user. */
    operator: z.string().max(200).optional(),
    /** Every date and time on screen in the computer's zone or in UTC (NOCs often run on UTC). Absent = local. */
    timeZone: z.enum(['local', 'utc']).optional(),
    /** The banners (offline, keychain, …) shown as one line each; remembered across reloads. Absent = expanded. */
    bannersCollapsed: z.boolean().optional(),
  })
  .strict();
export type UiSettings = z.infer<typeof UiSettings>;

export const DEFAULT_UI_SETTINGS: UiSettings = {
  theme: 'dark',
  notifications: { newP1P2: true, burnAlerts: true, jobFinished: true },
  environment: null,
};

export const UiSettingsPatch = z
  .object({
    theme: UiSettings.shape.theme.optional(),
    notifications: UiSettings.shape.notifications.partial().strict().optional(),
    environment: UiSettings.shape.environment.optional(),
    startAtLogin: z.enum(['off', 'desktop', 'wall']).optional(),
    /** null goes back to the default (TOC_OPERATOR or the OS user). */
    operator: OperatorName.nullable().optional(),
    timeZone: z.enum(['local', 'utc']).optional(),
    bannersCollapsed: z.boolean().optional(),
  })
  .strict();
export type UiSettingsPatch = z.infer<typeof UiSettingsPatch>;
