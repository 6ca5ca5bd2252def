import { screen, waitFor } from '@testing-library/react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { SankofaApi, sankofaApiRef } from '../api/SankofaApi';
import { EntityVmStatusCard } from './EntityVmStatusCard';
import { statusDoc, vmEntity } from './fixtures';

function render(api: Partial<SankofaApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[sankofaApiRef, api]]}>
      <EntityProvider entity={vmEntity}>
        <EntityVmStatusCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

async function httpError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotFoundError', message },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: status === 404 ? 'Not Found' : 'Internal Server Error',
        headers: { 'Content-Type': 'application/json' },
      },
    ) as any,
  );
}

describe('EntityVmStatusCard', () => {
  afterEach(() => jest.useRealTimers());

  it('shows progress while loading', async () => {
    await render({ getVmStatus: () => new Promise(() => {}) });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error panel when the backend fails', async () => {
    const error = await httpError(500, 'cluster cache exploded');
    await render({ getVmStatus: jest.fn().mockRejectedValue(error) });
    expect(
      await screen.findByText(/Request failed with 500 Internal Server Error/),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('vm-state')).not.toBeInTheDocument();
  });

  it('shows an empty state when the entity names no claim (404), and does not ask again', async () => {
    const error = await httpError(404, 'entity names no VM claim');
    const getVmStatus = jest.fn().mockRejectedValue(error);
    jest.useFakeTimers();
    await render({ getVmStatus });
    expect(
      await screen.findByText('No virtual machine claim'),
    ).toBeInTheDocument();
    jest.advanceTimersByTime(60000);
    expect(getVmStatus).toHaveBeenCalledTimes(1);
  });

  it('retries after a server error and shows the VM once the backend answers', async () => {
    const getVmStatus = jest
      .fn()
      .mockRejectedValueOnce(await httpError(503, 'cluster unreachable'))
      .mockResolvedValue(statusDoc('ready'));
    jest.useFakeTimers();
    await render({ getVmStatus });
    expect(
      await screen.findByText(/Request failed with 503/),
    ).toBeInTheDocument();
    jest.advanceTimersByTime(15000);
    await waitFor(() =>
      expect(screen.getByTestId('vm-state')).toHaveTextContent('Ready'),
    );
    expect(getVmStatus).toHaveBeenCalledTimes(2);
  });

  it('shows a ready VM with Proxmox facts, ArgoCD state and links, without polling', async () => {
    const getVmStatus = jest.fn().mockResolvedValue(statusDoc('ready'));
    await render({ getVmStatus });
    expect(await screen.findByTestId('vm-state')).toHaveTextContent('Ready');
    expect(getVmStatus).toHaveBeenCalledWith('resource:team-alpha/web-1');
    expect(screen.getByText('pve-accra-1')).toBeInTheDocument();
    expect(screen.getByText('eth0: 10.10.20.7')).toBeInTheDocument();
    expect(screen.getByText('Synced / Healthy')).toBeInTheDocument();
    expect(screen.getByText('Proxmox console').closest('a')).toHaveAttribute(
      'href',
      expect.stringContaining('vmid=4321'),
    );
    expect(screen.getByText('Pull request').closest('a')).toHaveAttribute(
      'href',
      'http://localhost:3030/platform/sankofa-gitops/pulls/7',
    );
    expect(screen.queryByTestId('root-cause-message')).not.toBeInTheDocument();
    expect(screen.getByTestId('timeline-running')).toHaveAttribute(
      'data-status',
      'done',
    );
  });

  it('shows the root cause first for a failed VM', async () => {
    await render({
      getVmStatus: jest.fn().mockResolvedValue(statusDoc('failed')),
    });
    expect(await screen.findByTestId('vm-state')).toHaveTextContent('Failed');
    expect(
      screen.getByText(/ReconcileError on EnvironmentVM web-1-x7k2p/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('root-cause-message')).toHaveTextContent(
      "volume 'local:import/ubuntu-24.04.qcow2' does not exist",
    );
    expect(screen.getByTestId('timeline-ready')).toHaveAttribute(
      'data-status',
      'failed',
    );
  });

  it('shows stale data with its age', async () => {
    await render({
      getVmStatus: jest.fn().mockResolvedValue(statusDoc('stale')),
    });
    expect(
      await screen.findByText(
        /Cluster sankofa-east is unreachable: data may be out of date \(4m old\)/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('vm-state')).toHaveTextContent('Ready');
  });

  it('polls while creating and stops once Ready', async () => {
    const getVmStatus = jest
      .fn()
      .mockResolvedValueOnce(statusDoc('creating'))
      .mockResolvedValueOnce(statusDoc('ready'))
      .mockResolvedValue(statusDoc('ready'));
    jest.useFakeTimers();
    await render({ getVmStatus });
    expect(await screen.findByTestId('vm-state')).toHaveTextContent('Creating');
    expect(screen.getByTestId('timeline-running')).toHaveAttribute(
      'data-status',
      'pending',
    );
    jest.advanceTimersByTime(5000);
    await waitFor(() =>
      expect(screen.getByTestId('vm-state')).toHaveTextContent('Ready'),
    );
    jest.advanceTimersByTime(20000);
    expect(getVmStatus).toHaveBeenCalledTimes(2);
  });
});
