import type { ReactNode } from 'react';
import { FeaturePlaceholder } from '../FeaturePlaceholder';
import { SirenIcon } from '../../components/icons';

export default function IncidentsView(): ReactNode {
  return (
    <FeaturePlaceholder
      title="Incidents"
      icon={SirenIcon}
      needs="servicenow"
      arrives="This view arrives with the incident queue feature"
      about="Here the open ServiceNow incidents will be listed live, with work notes, assignment and suggested runbooks."
    />
  );
}
