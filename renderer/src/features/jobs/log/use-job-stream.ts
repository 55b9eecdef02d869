import { useEffect, useRef, useState } from 'react';
import type { JobStreamItem } from '@shared/jobs/model';
import { useConnectivity, useTopic } from '../../../app/api/hooks';
import { LogModel } from './log-model';

export interface JobStream {
  model: LogModel;
  /** Changes whenever the model did (at most once per animation frame). */
  version: number;
}

/**
 * Subscribes to a job's output. When the link to main drops (toc serve), the subscription is re-made with the
 * counter after the last whole event, so the resumed stream continues exactly where this one stopped.
 */
export function useJobStream(connectionId: string, jobId: number): JobStream {
  // One model for the life of the component: the job view is keyed by job, so another job means a new one.
  const [model] = useState(() => new LogModel());
  const [version, setVersion] = useState(0);
  const [fromCounter, setFromCounter] = useState(1);
  const frame = useRef<number | null>(null);
  const link = useConnectivity();
  const wasOnline = useRef(link.state === 'online');

  useEffect(() => {
    const online = link.state === 'online';
    if (wasOnline.current && !online && !model.end) {
      setFromCounter(model.resumeCounter());
      setVersion(model.version);
    }
    wasOnline.current = online;
  }, [link.state, model]);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  useTopic(
    'jobs.events',
    { connectionId, jobId, ...(fromCounter > 1 ? { fromCounter } : {}) },
    (batch: JobStreamItem[]) => {
      if (!model.apply(batch)) return;
      if (frame.current !== null) return;
      frame.current = requestAnimationFrame(() => {
        frame.current = null;
        setVersion(model.version);
      });
    },
    {
      onError: (e) => {
        model.apply([
          {
            kind: 'error',
            fatal: true,
            error: {
              code: e.code,
              message: e.message,
              ...(e.detail?.remoteMessage ? { remoteMessage: e.detail.remoteMessage } : {}),
              ...(e.detail?.status !== undefined ? { status: e.detail.status } : {}),
            },
          },
        ]);
        setVersion(model.version);
      },
    },
  );
  return { model, version };
}
