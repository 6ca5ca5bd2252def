import { fireEvent, screen, waitFor } from '@testing-library/react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { FleetListResponse } from '@sankofa/plugin-sankofa-common';
import { sankofaApiRef } from '../api/SankofaApi';
import { FleetContent } from './FleetPage';

const page: FleetListResponse = {
  items: [
    {
      entityRef: 'resource:team-alpha/web-1',
      cluster: 'sankofa-east',
      namespace: 'team-alpha',
      name: 'web-1',
      site: 'accra',
      owner: 'group:default/team-alpha',
      state: 'Ready',
      synced: 'True',
      ready: 'True',
      node: 'pve-accra-1',
      vmId: 4321,
      stale: false,
    },
    {
      entityRef: 'resource:team-alpha/db-1',
      cluster: 'sankofa-west',
      namespace: 'team-alpha',
      name: 'db-1',
      site: 'tamale',
      owner: 'group:default/team-alpha',
      state: 'Failed',
      synced: 'False',
      ready: 'False',
      stale: true,
      rootCause: {
        resource: {
          apiVersion: 'v',
          kind: 'EnvironmentVM',
          name: 'db-1-x',
          role: 'managed',
        },
        conditionType: 'Synced',
        reason: 'ReconcileError',
        message: 'node offline',
      },
    },
  ],
  totalItems: 2,
  offset: 0,
  limit: 20,
  clusters: [
    { cluster: 'sankofa-east', stale: false },
    {
      cluster: 'sankofa-west',
      stale: true,
      ageSeconds: 30,
      error: 'connect ECONNREFUSED',
    },
  ],
};

describe('FleetContent', () => {
  it('lists VMs with state, site and root cause, flags stale clusters and filters on the server', async () => {
    const listVms = jest.fn().mockResolvedValue(page);
    await renderInTestApp(
      <TestApiProvider apis={[[sankofaApiRef, { listVms }]]}>
        <FleetContent />
      </TestApiProvider>,
    );
    expect(await screen.findByText('web-1')).toBeInTheDocument();
    expect(
      screen.getByText('ReconcileError: node offline'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Cluster sankofa-west is unreachable/),
    ).toBeInTheDocument();
    expect(screen.getByText('web-1').closest('a')).toHaveAttribute(
      'href',
      '/catalog/team-alpha/resource/web-1',
    );
    expect(listVms).toHaveBeenLastCalledWith({
      site: undefined,
      owner: undefined,
      state: undefined,
      offset: 0,
      limit: 20,
    });
    fireEvent.change(screen.getByLabelText('site'), {
      target: { value: 'tamale' },
    });
    await waitFor(() =>
      expect(listVms).toHaveBeenLastCalledWith(
        expect.objectContaining({ site: 'tamale', offset: 0 }),
      ),
    );
  });

  it('shows an empty state when nothing matches', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            sankofaApiRef,
            {
              listVms: jest.fn().mockResolvedValue({
                ...page,
                items: [],
                totalItems: 0,
                clusters: [],
              }),
            },
          ],
        ]}
      >
        <FleetContent />
      </TestApiProvider>,
    );
    expect(await screen.findByText('No virtual machines')).toBeInTheDocument();
  });
});
