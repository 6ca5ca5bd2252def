import {
  CodeSnippet,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { stringify } from 'yaml';
import {
  DesiredObservedDiff,
  StatusCondition,
  StatusEvent,
  StatusNode,
} from '@sankofa/plugin-sankofa-common';
import { useVmStatus } from '../hooks/useVmStatus';
import { ConditionChip } from './VmStateBadge';
import { RootCausePanel, StalePanel } from './RootCausePanel';
import { ProvisioningTimeline } from './ProvisioningTimeline';
import { VmStateBadge } from './VmStateBadge';

const conditionColumns: TableColumn<StatusCondition>[] = [
  { title: 'Type', field: 'type' },
  { title: 'Status', field: 'status' },
  { title: 'Reason', field: 'reason' },
  { title: 'Message', field: 'message' },
  { title: 'Since', field: 'lastTransitionTime' },
];

const eventColumns: TableColumn<StatusEvent>[] = [
  { title: 'Type', field: 'type' },
  { title: 'Reason', field: 'reason' },
  {
    title: 'Object',
    render: e => `${e.involvedObject.kind}/${e.involvedObject.name}`,
  },
  { title: 'Message', field: 'message' },
  { title: 'Count', field: 'count' },
  { title: 'Last seen', field: 'lastTimestamp' },
];

const diffColumns: TableColumn<DesiredObservedDiff>[] = [
  { title: 'Resource', render: d => `${d.resource.kind}/${d.resource.name}` },
  { title: 'Field', field: 'path' },
  { title: 'Desired (forProvider)', render: d => JSON.stringify(d.desired) },
  {
    title: 'Observed (atProvider)',
    render: d =>
      d.observed === undefined ? 'not observed' : JSON.stringify(d.observed),
  },
];

/** One node of the chain: Synced/Ready, conditions and the object's YAML; children nested. */
const ChainNode = ({ node, depth }: { node: StatusNode; depth: number }) => (
  <Box ml={depth * 3} mb={1} data-testid={`chain-node-${node.role}`}>
    <Accordion defaultExpanded={depth === 0 || node.ready === 'False'}>
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          <Typography variant="subtitle2">
            {node.role}: {node.ref.kind}{' '}
            {node.ref.namespace ? `${node.ref.namespace}/` : ''}
            {node.ref.name}
          </Typography>
          {node.found ? (
            <>
              <ConditionChip type="Synced" status={node.synced} />
              <ConditionChip type="Ready" status={node.ready} />
            </>
          ) : (
            <Typography variant="caption" color="textSecondary">
              not found in the cluster (yet)
            </Typography>
          )}
        </Box>
      </AccordionSummary>
      {node.found && (
        <AccordionDetails style={{ display: 'block' }}>
          <Table
            title="Conditions"
            options={{
              paging: false,
              search: false,
              padding: 'dense',
              toolbar: false,
            }}
            columns={conditionColumns}
            data={node.conditions}
          />
          {node.manifest && (
            <Box mt={1}>
              <CodeSnippet
                language="yaml"
                text={stringify(node.manifest)}
                showCopyCodeButton
              />
            </Box>
          )}
        </AccordionDetails>
      )}
    </Accordion>
    {node.children.map(child => (
      <ChainNode
        key={`${child.ref.kind}/${child.ref.name}`}
        node={child}
        depth={depth + 1}
      />
    ))}
  </Box>
);

/** The "Resources" tab: the chain, events, the desired-vs-observed diff and the timeline. */
export const EntityVmResourcesContent = () => {
  const { entity } = useEntity();
  const { loading, error, status } = useVmStatus(stringifyEntityRef(entity));
  if (loading && !status) return <Progress />;
  if (error && !status) return <ResponseErrorPanel error={error} />;
  if (!status) return null;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <VmStateBadge state={status.rollup.state} />
        </Box>
        {status.freshness.stale && <StalePanel freshness={status.freshness} />}
        {status.rollup.rootCause && (
          <RootCausePanel cause={status.rollup.rootCause} />
        )}
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title="Crossplane → Proxmox chain">
          {status.tree ? (
            <ChainNode node={status.tree} depth={0} />
          ) : (
            <EmptyState
              missing="data"
              title="No claim in the cluster yet"
              description={`${status.claim.kind} ${status.claim.namespace}/${status.claim.name} is not in cluster ${status.claim.cluster}: the pull request may not be merged or synced yet.`}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="Provisioning timeline">
          <ProvisioningTimeline steps={status.timeline} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Table
          title="Desired vs observed"
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={diffColumns}
          data={status.desiredVsObserved}
          emptyContent={<Box p={2}>Proxmox reports what was asked for.</Box>}
        />
      </Grid>
      <Grid item xs={12}>
        <Table
          title="Events"
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={eventColumns}
          data={status.events}
          emptyContent={<Box p={2}>No events.</Box>}
        />
      </Grid>
    </Grid>
  );
};
