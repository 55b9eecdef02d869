import type { ReactNode } from 'react';
import { OfflineBanner } from './OfflineBanner';
import { SecretsBanner } from './SecretsBanner';
import { WorkspaceProblemsBanner } from './WorkspaceProblemsBanner';
import { DemoNoticesBanner } from './DemoNoticesBanner';
import { OfflineCopyBanner } from '../../../features/workstation';
import './banner-strip.css';

/** The banner area under the header, most urgent first. */
export function Banners(): ReactNode {
  return (
    <div className="banners banner-strip" aria-label="Notices" role="region" data-testid="banners">
      <OfflineBanner />
      <OfflineCopyBanner />
      <SecretsBanner />
      <WorkspaceProblemsBanner />
      <DemoNoticesBanner />
    </div>
  );
}
