import { ChangeEvent, useState } from 'react';
import {
  Content,
  EmptyState,
  Header,
  Link,
  Page,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import useAsync from 'react-use/esm/useAsync';
import { FleetVm, VM_STATES, VmState } from '@sankofa/plugin-sankofa-common';
import { sankofaApiRef } from '../api/SankofaApi';
import { VmStateBadge } from './VmStateBadge';
import { StalePanel } from './RootCausePanel';

function entityLink(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

const columns: TableColumn<FleetVm>[] = [
  {
    title: 'Name',
    render: vm => (
      <Link to={entityLink(vm.entityRef)}>{vm.title ?? vm.name}</Link>
    ),
  },
  { title: 'State', render: vm => <VmStateBadge state={vm.state} /> },
  { title: 'Site', field: 'site' },
  { title: 'Owner', field: 'owner' },
  { title: 'Node', field: 'node' },
  { title: 'VM id', field: 'vmId' },
  { title: 'Cluster', field: 'cluster' },
  {
    title: 'Root cause',
    render: vm =>
      vm.rootCause ? `${vm.rootCause.reason}: ${vm.rootCause.message}` : '',
  },
];

/** Fleet list content: filters on site, owner and state; paging on the server. */
export const FleetContent = () => {
  const api = useApi(sankofaApiRef);
  const [site, setSite] = useState('');
  const [owner, setOwner] = useState('');
  const [state, setState] = useState<VmState | ''>('');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(20);
  const { value, loading, error } = useAsync(
    () =>
      api.listVms({
        site: site || undefined,
        owner: owner || undefined,
        state: state || undefined,
        offset: page * pageSize,
        limit: pageSize,
      }),
    [api, site, owner, state, page, pageSize],
  );
  const filterChanged =
    (set: (v: any) => void) => (e: ChangeEvent<{ value: unknown }>) => {
      set(e.target.value);
      setPage(0);
    };
  return (
    <>
      <Box display="flex" mb={2} style={{ gap: 16 }}>
        <TextField
          label="Site"
          value={site}
          onChange={filterChanged(setSite)}
          inputProps={{ 'aria-label': 'site' }}
        />
        <TextField
          label="Owner"
          value={owner}
          onChange={filterChanged(setOwner)}
          inputProps={{ 'aria-label': 'owner' }}
        />
        <TextField
          select
          label="State"
          value={state}
          onChange={filterChanged(setState)}
          style={{ minWidth: 140 }}
          SelectProps={{ inputProps: { 'aria-label': 'state' } }}
        >
          <MenuItem value="">Any</MenuItem>
          {VM_STATES.map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {value?.clusters
        .filter(c => c.stale)
        .map(c => (
          <StalePanel key={c.cluster} freshness={c} />
        ))}
      {error ? (
        <ResponseErrorPanel error={error} />
      ) : (
        <Table
          title={`Virtual machines${value ? ` (${value.totalItems})` : ''}`}
          isLoading={loading}
          columns={columns}
          data={value?.items ?? []}
          page={page}
          totalCount={value?.totalItems ?? 0}
          onPageChange={setPage}
          onRowsPerPageChange={size => {
            setPageSize(size);
            setPage(0);
          }}
          options={{
            search: false,
            pageSize,
            pageSizeOptions: [20, 50, 100],
            padding: 'dense',
          }}
          emptyContent={
            <EmptyState
              missing="data"
              title="No virtual machines"
              description="No VM you may see matches these filters."
            />
          }
        />
      )}
    </>
  );
};

/** `/sankofa/vms`: every VM the user may see, across clusters. */
export const FleetPage = () => (
  <Page themeId="tool">
    <Header
      title="Virtual machines"
      subtitle="Sankofa fleet across all sites"
    />
    <Content>
      <FleetContent />
    </Content>
  </Page>
);
