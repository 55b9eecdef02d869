import { z } from 'zod';
import { method, topic } from '../kernel/define';
import { SecretStatus } from '../kernel/secrets';
import { ConnectionHealth, ConnectionSpec, ConnectionView, ProbeResult } from './model';

// Connections to Prometheus, Alertmanager, ServiceNow and AWX, and the secrets they log in with. A secret goes
// one way: the renderer may send a value once, main keeps it in the OS keychain and only ever answers "present".

const None = z.object({}).strict();

export const SecretField = z.object({ connectionId: z.string().min(1), field: z.string().min(1).max(40) }).strict();

export const connectionMethods = {
  'connections.list': method(None, z.array(ConnectionView)),
  'connections.save': method(
    z
      .object({
        spec: ConnectionSpec,
        /** New secret values by auth field (password, token, clientSecret, passphrase). Sent once, kept in main. */
        secrets: z.record(z.string(), z.string().min(1).max(8192)).optional(),
      })
      .strict(),
    ConnectionView,
    { action: true },
  ),
  'connections.remove': method(z.object({ id: z.string().min(1) }).strict(), z.object({ removed: z.boolean() }), {
    action: true,
  }),
  'connections.test': method(z.object({ id: z.string().min(1) }).strict(), ProbeResult),
  'connections.health': method(None, z.array(ConnectionHealth)),

  /** Where secrets are kept (the OS keychain or this session's memory) and why, with a remedy. */
  'connections.secretStatus': method(None, SecretStatus),
  /** Tries the keychain again and moves the secrets kept in memory back into it. */
  'connections.retrySecrets': method(None, SecretStatus, { action: true }),
  'connections.setSecret': method(SecretField.extend({ value: z.string().min(1).max(8192) }).strict(), z.object({ present: z.boolean() }), {
    action: true,
  }),
  'connections.deleteSecret': method(SecretField, z.object({ present: z.boolean() }), { action: true }),
};

export const connectionTopics = {
  'connections.secretStatus': topic(None, SecretStatus),
  'connections.health': topic(None, z.array(ConnectionHealth)),
};
