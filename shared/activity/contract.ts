import { z } from 'zod';
import { method, topic } from '../kernel/define';
import { AuditEntry } from './model';

// The activity view reads the local audit log: every action taken from this console, newest first, live.

const None = z.object({}).strict();

export const activityMethods = {
  'activity.list': method(
    z.object({ limit: z.number().int().min(1).max(1000).optional(), before: z.string().optional() }).strict(),
    z.array(AuditEntry),
  ),
};

export const activityTopics = {
  'activity.appended': topic(None, AuditEntry),
};
