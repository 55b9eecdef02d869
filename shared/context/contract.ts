import { method } from '../kernel/define';
import { ContextSubject, ServiceContext } from './model';
import { z } from 'zod';

export const contextMethods = {
  /** What is related to an SLO, alert, incident, job or service, across every configured system. */
  'context.of': method(z.object({ subject: ContextSubject }).strict(), ServiceContext),
};
