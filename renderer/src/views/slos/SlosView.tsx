import type { ReactNode } from 'react';
import { FeaturePlaceholder } from '../FeaturePlaceholder';
import { GaugeIcon } from '../../components/icons';

export default function SlosView(): ReactNode {
  return (
    <FeaturePlaceholder
      title="SLOs"
      icon={GaugeIcon}
      needs="prometheus"
      arrives="This view arrives with the SLO feature"
      about="Here each service level objective will show its error budget, burn rate per window and alert state, read from Prometheus."
    />
  );
}
