import { WarningPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { Freshness, RootCause } from '@sankofa/plugin-sankofa-common';

export function describeResource(r: RootCause['resource']): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

/** The single root cause, shown before anything else. */
export const RootCausePanel = ({ cause }: { cause: RootCause }) => (
  <WarningPanel
    severity="error"
    title={`${cause.reason} on ${describeResource(cause.resource)}`}
    defaultExpanded
  >
    <Typography variant="body2" component="div">
      <div
        data-testid="root-cause-message"
        style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
      >
        {cause.message || 'No message'}
      </div>
      <div>
        Condition {cause.conditionType} ({cause.resource.role})
        {cause.since ? ` since ${new Date(cause.since).toLocaleString()}` : ''}
      </div>
    </Typography>
  </WarningPanel>
);

/** Shown while the cluster's watch is broken: the data on screen is as old as `asOf`. */
export const StalePanel = ({ freshness }: { freshness: Freshness }) => (
  <WarningPanel
    severity="warning"
    title={`Cluster ${
      freshness.cluster
    } is unreachable: data may be out of date${
      freshness.ageSeconds !== undefined
        ? ` (${formatAge(freshness.ageSeconds)} old)`
        : ''
    }`}
    message={freshness.error}
  />
);

export function formatAge(seconds: number): string {
  if (seconds < 90) return `${seconds}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}
