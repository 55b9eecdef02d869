import type { ReactNode } from 'react';
import { FeaturePlaceholder } from '../FeaturePlaceholder';
import { PlayListIcon } from '../../components/icons';

export default function JobsView(): ReactNode {
  return (
    <FeaturePlaceholder
      title="Jobs"
      icon={PlayListIcon}
      needs="awx"
      arrives="This view arrives with the job log feature"
      about="Here AWX jobs will be listed with their live, colour-preserving logs grouped by host and task."
    />
  );
}
