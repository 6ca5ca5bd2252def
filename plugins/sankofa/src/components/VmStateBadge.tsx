import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { ConditionStatus, VmState } from '@sankofa/plugin-sankofa-common';

const useStyles = makeStyles(theme => ({
  Ready: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  Failed: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  Creating: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  Pending: {
    backgroundColor: theme.palette.info.light,
    color: theme.palette.info.contrastText,
  },
  Deleting: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  Unknown: {},
  True: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  False: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

export const VmStateBadge = ({ state }: { state: VmState }) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={state}
      className={classes[state]}
      data-testid="vm-state"
    />
  );
};

/** A Synced/Ready pill of one node of the chain. */
export const ConditionChip = ({
  type,
  status,
}: {
  type: string;
  status: ConditionStatus;
}) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      variant={status === 'Unknown' ? 'outlined' : 'default'}
      label={`${type}: ${status}`}
      className={status === 'Unknown' ? undefined : classes[status]}
    />
  );
};
