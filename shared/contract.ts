import type { z } from 'zod';
import type { MethodDef, TopicDef } from './kernel/define';
import { appMethods, appTopics } from './app/contract';
import { connectionMethods, connectionTopics } from './connections/contract';
import { settingsMethods, settingsTopics } from './settings/contract';
import { activityMethods, activityTopics } from './activity/contract';
import { sloMethods, sloTopics } from './slo/contract';
import { incidentMethods, incidentTopics, noteSearchMethods } from './incidents/contract';
import { runbookMethods } from './runbooks/contract';
import { jobMethods, jobTopics } from './jobs/contract';
import { alertMethods, alertTopics } from './alerts/contract';
import { wallMethods } from './wall/contract';
import { offlineMethods } from './offline/contract';
import { insightMethods } from './insights/contract';
import { contextMethods } from './context/contract';

// The whole contract between renderer and main: every call and every subscription, each with its schema.
// Each capability declares its part in `shared/<capability>/contract.ts`, every name `<capability>.*`, merged here.

export const methods = {
  ...appMethods,
  ...connectionMethods,
  ...settingsMethods,
  ...activityMethods,
  ...sloMethods,
  ...incidentMethods,
  ...noteSearchMethods,
  ...runbookMethods,
  ...jobMethods,
  ...alertMethods,
  ...wallMethods,
  ...offlineMethods,
  ...insightMethods,
  ...contextMethods,
} satisfies Record<string, MethodDef>;

export const topics = {
  ...appTopics,
  ...connectionTopics,
  ...settingsTopics,
  ...activityTopics,
  ...sloTopics,
  ...incidentTopics,
  ...jobTopics,
  ...alertTopics,
} satisfies Record<string, TopicDef>;

export type Methods = typeof methods;
export type Topics = typeof topics;
export type MethodName = keyof Methods;
export type TopicName = keyof Topics;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodArgs<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type TopicArgs<T extends TopicName> = z.input<Topics[T]['args']>;
export type TopicPayload<T extends TopicName> = z.output<Topics[T]['payload']>;

export const isMethodName = (s: string): s is MethodName => Object.prototype.hasOwnProperty.call(methods, s);
export const isTopicName = (s: string): s is TopicName => Object.prototype.hasOwnProperty.call(topics, s);

export * from './kernel/define';
export * from './app/contract';
