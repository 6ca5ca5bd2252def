import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import CheckCircle from '@material-ui/icons/CheckCircle';
import Error from '@material-ui/icons/Error';
import RadioButtonUnchecked from '@material-ui/icons/RadioButtonUnchecked';
import HelpOutline from '@material-ui/icons/HelpOutline';
import { TimelineStep } from '@sankofa/plugin-sankofa-common';

const ICONS = {
  done: <CheckCircle style={{ color: '#2e7d32' }} titleAccess="done" />,
  failed: <Error color="error" titleAccess="failed" />,
  pending: <RadioButtonUnchecked color="disabled" titleAccess="pending" />,
  unknown: <HelpOutline color="disabled" titleAccess="unknown" />,
};

const SOURCE: Record<TimelineStep['source'], string> = {
  gitops: 'from the Git host',
  argocd: 'from ArgoCD',
  cluster: 'from the cluster',
  annotation: 'from the entity annotation',
  derived: 'derived from later steps',
};

/** PR opened → merged → synced → claim created → Ready → running. */
export const ProvisioningTimeline = ({ steps }: { steps: TimelineStep[] }) => (
  <List dense aria-label="provisioning timeline">
    {steps.map(step => (
      <ListItem
        key={step.id}
        data-testid={`timeline-${step.id}`}
        data-status={step.status}
      >
        <ListItemIcon>{ICONS[step.status]}</ListItemIcon>
        <ListItemText
          primary={step.label}
          secondary={[
            step.at ? new Date(step.at).toLocaleString() : undefined,
            step.detail,
            step.status === 'done' || step.status === 'failed'
              ? SOURCE[step.source]
              : undefined,
          ]
            .filter(Boolean)
            .join(' · ')}
        />
      </ListItem>
    ))}
  </List>
);
