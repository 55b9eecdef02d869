import { z } from 'zod';
import { method } from '../kernel/define';
import { Labeled } from '../incidents/model';
import { InsightsReport } from './types';

// Insights: the numbers a TOC reports each month, for a period [from, to) of UTC days, optionally for one
// assignment group (name or sys_id) or service (ServiceNow business service / SLO service).

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day, YYYY-MM-DD');

export const InsightsArgs = z
  .object({
    connectionId: z.string().min(1).max(63).optional(),
    from: Day,
    to: Day,
    group: z.string().min(1).max(200).optional(),
    service: z.string().min(1).max(200).optional(),
    changeWindowHours: z
      .number()
      .positive()
      .max(24 * 90)
      .optional(),
  })
  .strict();
export type InsightsArgs = z.infer<typeof InsightsArgs>;

export const insightMethods = {
  /** Every figure for the period, each with how it was computed and the records behind it. */
  'insights.report': method(InsightsArgs, InsightsReport),
  /** What the group and service pickers offer. */
  'insights.scopes': method(
    z.object({ connectionId: z.string().min(1).max(63).optional() }).strict(),
    z.object({ groups: z.array(Labeled), services: z.array(Labeled) }),
  ),
};
