import type { ReactNode } from 'react';
import { FeaturePlaceholder } from '../FeaturePlaceholder';
import { BookIcon } from '../../components/icons';

export default function RunbooksView(): ReactNode {
  return (
    <FeaturePlaceholder
      title="Runbooks"
      icon={BookIcon}
      needs="awx"
      arrives="This view arrives with the runbook feature"
      about="Here the workspace's markdown runbooks will be readable (offline too) and launchable as AWX job templates."
      withoutConnection="Reading runbooks will not need a connection; launching them will."
    />
  );
}
