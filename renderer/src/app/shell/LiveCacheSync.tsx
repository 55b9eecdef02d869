import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { callKey, useTopic } from '../api/hooks';
import { navigate, routeOfTarget } from '../state/route';

/**
 * One subscription per shell topic, folded into the react-query cache: every component reading settings,
 * health or the secret store sees the pushed value (and its age) without subscribing itself.
 */
export function LiveCacheSync(): ReactNode {
  const qc = useQueryClient();
  useTopic('settings.changed', {}, (batch) => {
    const last = batch[batch.length - 1];
    if (last) {
      qc.setQueryData(callKey('settings.get', {}), last);
      // The operator shown in app.info follows the settings.
      void qc.invalidateQueries({ queryKey: callKey('app.info', {}) });
    }
  });
  useTopic('connections.health', {}, (batch) => {
    const last = batch[batch.length - 1];
    if (last) qc.setQueryData(callKey('connections.health', {}), last);
  });
  useTopic('connections.secretStatus', {}, (batch) => {
    const last = batch[batch.length - 1];
    if (last) {
      qc.setQueryData(callKey('connections.secretStatus', {}), last);
      // Secret presence per connection may have changed with the store (keychain back, or fallen back to memory).
      void qc.invalidateQueries({ queryKey: ['call', 'connections.list'] });
    }
  });
  useTopic('app.navigate', {}, (batch) => {
    const last = batch[batch.length - 1];
    if (last) navigate(routeOfTarget(last));
  });
  return null;
}
