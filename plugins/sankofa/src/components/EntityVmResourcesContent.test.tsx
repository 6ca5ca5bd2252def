import { screen } from '@testing-library/react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { sankofaApiRef } from '../api/SankofaApi';
import { EntityVmResourcesContent } from './EntityVmResourcesContent';
import { statusDoc, vmEntity } from './fixtures';

function render(getVmStatus: jest.Mock) {
  return renderInTestApp(
    <TestApiProvider apis={[[sankofaApiRef, { getVmStatus }]]}>
      <EntityProvider entity={vmEntity}>
        <EntityVmResourcesContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityVmResourcesContent', () => {
  it('renders the chain with Synced/Ready on every node, conditions, YAML and the diff', async () => {
    await render(jest.fn().mockResolvedValue(statusDoc('ready')));
    expect(await screen.findByTestId('chain-node-claim')).toHaveTextContent(
      'claim: VirtualMachine team-alpha/web-1',
    );
    expect(screen.getByTestId('chain-node-composite')).toHaveTextContent(
      'XVirtualMachine',
    );
    expect(screen.getByTestId('chain-node-managed')).toHaveTextContent(
      'EnvironmentVM web-1-x7k2p',
    );
    expect(screen.getAllByText('Ready: True')).toHaveLength(3);
    expect(screen.getAllByText('Synced: True').length).toBeGreaterThanOrEqual(
      3,
    );
    expect(document.body.textContent).toContain('nodeName: pve-accra-1');
    expect(document.body.textContent).not.toContain('managedFields');
    expect(screen.getByText('memory[0].dedicated')).toBeInTheDocument();
    expect(screen.getByText('"1024"')).toBeInTheDocument();
  });

  it('puts the root cause on top and lists the events of a failed VM', async () => {
    await render(jest.fn().mockResolvedValue(statusDoc('failed')));
    expect(await screen.findByTestId('root-cause-message')).toHaveTextContent(
      'does not exist',
    );
    expect(screen.getByText('Synced: False')).toBeInTheDocument();
    expect(
      screen.getByText('CannotCreateExternalResource'),
    ).toBeInTheDocument();
  });

  it('explains a VM whose claim is not in the cluster yet', async () => {
    await render(jest.fn().mockResolvedValue(statusDoc('pending')));
    expect(
      await screen.findByText('No claim in the cluster yet'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('vm-state')).toHaveTextContent('Pending');
  });
});
