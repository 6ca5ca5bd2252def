import { ReactNode } from 'react';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { VmStatusDocument } from '@sankofa/plugin-sankofa-common';
import { useVmStatus } from '../hooks/useVmStatus';
import { VmStateBadge } from './VmStateBadge';
import { RootCausePanel, StalePanel } from './RootCausePanel';
import { ProvisioningTimeline } from './ProvisioningTimeline';

function isNotFound(error: Error): boolean {
  return (
    (error as any)?.response?.status === 404 ||
    (error as any)?.statusCode === 404
  );
}

function power(started: boolean | undefined): string {
  if (started === undefined) return '—';
  return started ? 'running' : 'stopped';
}

function facts(status: VmStatusDocument) {
  const p = status.proxmox;
  const a = status.argocd;
  return {
    Site: p?.site ?? '—',
    Node: p?.node ?? '—',
    'VM ID': p?.vmId ?? '—',
    Power: power(p?.started),
    IPv4: p?.ipv4.length
      ? p.ipv4.map(n => `${n.interface}: ${n.addresses.join(', ')}`).join('; ')
      : '—',
    ArgoCD: a ? `${a.sync ?? '—'} / ${a.health ?? '—'}` : 'no Application',
    Revision: a?.revision ? a.revision.slice(0, 12) : '—',
    'Last sync': a?.lastOperation?.phase
      ? `${a.lastOperation.phase}${
          a.lastOperation.finishedAt
            ? ` at ${new Date(a.lastOperation.finishedAt).toLocaleString()}`
            : ''
        }`
      : '—',
    Claim: `${status.claim.cluster}/${status.claim.namespace}/${status.claim.name}`,
  };
}

/** The VM status content, for a known document (exported for the fleet page and tests). */
export const VmStatusSummary = ({ status }: { status: VmStatusDocument }) => (
  <>
    <Box display="flex" alignItems="center" mb={1} style={{ gap: 8 }}>
      <VmStateBadge state={status.rollup.state} />
      <Typography variant="body2" color="textSecondary">
        Synced {status.rollup.synced} · Ready {status.rollup.ready}
      </Typography>
    </Box>
    {status.freshness.stale && <StalePanel freshness={status.freshness} />}
    {status.rollup.rootCause && (
      <RootCausePanel cause={status.rollup.rootCause} />
    )}
    <StructuredMetadataTable
      metadata={facts(status)}
      dense
      // Our labels are written as they should read ("IPv4", "ArgoCD sync"), not derived from keys.
      options={{ titleFormat: (key: string) => key }}
    />
    <Box display="flex" mt={1} style={{ gap: 16 }}>
      {status.pullRequestUrl && (
        <Link to={status.pullRequestUrl}>Pull request</Link>
      )}
      {status.proxmox?.consoleUrl && (
        <Link to={status.proxmox.consoleUrl}>Proxmox console</Link>
      )}
    </Box>
  </>
);

/** Overview card: state, root cause first, Proxmox facts, ArgoCD state, links and the timeline. */
export const EntityVmStatusCard = () => {
  const { entity } = useEntity();
  const { loading, error, status } = useVmStatus(stringifyEntityRef(entity));
  let body: ReactNode;
  if (loading && !status) {
    body = <Progress />;
  } else if (error && !status) {
    body = isNotFound(error) ? (
      <EmptyState
        missing="data"
        title="No virtual machine claim"
        description="This entity names no VM claim (sankofa.io/vm-claim), or its cluster is not configured."
      />
    ) : (
      <ResponseErrorPanel error={error} />
    );
  } else if (status) {
    body = (
      <>
        <VmStatusSummary status={status} />
        <ProvisioningTimeline steps={status.timeline} />
      </>
    );
  }
  return <InfoCard title="Virtual machine">{body}</InfoCard>;
};
