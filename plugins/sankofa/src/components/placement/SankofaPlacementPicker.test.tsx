import { useState } from 'react';
import { fireEvent, screen } from '@testing-library/react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { PlacementPolicy } from '@sankofa/plugin-sankofa-common';
import { SankofaApi, sankofaApiRef } from '../../api/SankofaApi';
import { SankofaPlacementPicker } from './SankofaPlacementPicker';
import { PlacementDraft } from './placement';
import { validatePlacement } from './validation';

const sizeClasses = [
  { name: 'small', cpu: 2, memoryMiB: 2048, diskGiB: 20 },
  { name: 'large', cpu: 8, memoryMiB: 16384, diskGiB: 100 },
];
const limits = { maxCpu: 16, maxMemoryMiB: 65536, maxDiskGiB: 500 };
const fresh = { cluster: 'sankofa-east', stale: false };

const policy: PlacementPolicy = {
  owner: 'team-alpha',
  generatedAt: '2026-11-29T20:00:00Z',
  sites: [
    {
      name: 'accra',
      cluster: 'sankofa-east',
      nodes: ['pve-accra-1', 'pve-accra-2'],
      images: ['debian-12', 'ubuntu-24.04'],
      networks: [{ bridge: 'vmbr0', vlans: [10, 20] }],
      sizeClasses,
      limits,
      quota: {
        limits: { maxVms: 10, maxCpu: 40 },
        used: { vms: 7, cpu: 34, memoryMiB: 14336, diskGiB: 140 },
        left: { maxVms: 3, maxCpu: 6 },
        exhausted: false,
        freshness: fresh,
      },
    },
    {
      name: 'kumasi',
      cluster: 'sankofa-east',
      nodes: ['pve-kumasi-1'],
      images: ['debian-12'],
      networks: [{ bridge: 'vmbr0' }],
      sizeClasses,
      limits,
      quota: {
        limits: { maxVms: 2 },
        used: { vms: 2, cpu: 4, memoryMiB: 4096, diskGiB: 40 },
        left: { maxVms: 0 },
        exhausted: true,
        freshness: fresh,
      },
    },
    {
      name: 'tamale',
      cluster: 'sankofa-west',
      nodes: ['pve-tamale-1'],
      images: ['debian-12'],
      networks: [{ bridge: 'vmbr0', vlans: [10] }],
      sizeClasses,
      limits: { maxCpu: 8, maxMemoryMiB: 32768, maxDiskGiB: 250 },
      quota: {
        used: { vms: 1, cpu: 2, memoryMiB: 2048, diskGiB: 20 },
        exhausted: false,
        freshness: { cluster: 'sankofa-west', stale: false },
      },
    },
  ],
};

function apiReturning(result: Promise<PlacementPolicy>) {
  const getPlacementPolicy = jest.fn((_owner: string) => result);
  return {
    getPlacementPolicy,
    api: { getPlacementPolicy } as Partial<SankofaApi> as SankofaApi,
  };
}

/** The field as RJSF drives it: the value lives in the form, onChange feeds it back. */
function Harness(props: {
  onValue: (v: PlacementDraft) => void;
  rawErrors?: string[];
}) {
  const [value, setValue] = useState<PlacementDraft | undefined>();
  const fieldProps: any = {
    formData: value,
    onChange: (v: PlacementDraft) => {
      setValue(v);
      props.onValue(v);
    },
    formContext: { formData: { owner: 'group:default/team-alpha' } },
    idSchema: { $id: 'root_placement' },
    schema: { title: 'Placement and size' },
    uiSchema: {},
    rawErrors: props.rawErrors,
  };
  return <SankofaPlacementPicker {...fieldProps} />;
}

async function renderField(
  api: SankofaApi,
  onValue = jest.fn(),
  rawErrors?: string[],
) {
  await renderInTestApp(
    <TestApiProvider apis={[[sankofaApiRef, api]]}>
      <Harness onValue={onValue} rawErrors={rawErrors} />
    </TestApiProvider>,
  );
  return onValue;
}

describe('SankofaPlacementPicker', () => {
  it('shows progress while the policy loads', async () => {
    const { api } = apiReturning(new Promise(() => {}));
    await renderField(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows each site with the owner’s quota left and disables an exhausted site', async () => {
    const { api, getPlacementPolicy } = apiReturning(Promise.resolve(policy));
    await renderField(api);
    expect(
      await screen.findByLabelText('accra — 3 of 10 VMs left'),
    ).toBeEnabled();
    expect(screen.getByLabelText('kumasi — 0 of 2 VMs left')).toBeDisabled();
    expect(screen.getByLabelText('tamale — no quota limit')).toBeEnabled();
    expect(getPlacementPolicy).toHaveBeenCalledWith('group:default/team-alpha');
  });

  it('fills image, size and network from the chosen site and blocks sizes beyond the quota', async () => {
    const { api } = apiReturning(Promise.resolve(policy));
    const onValue = await renderField(api);
    fireEvent.click(await screen.findByLabelText('accra — 3 of 10 VMs left'));
    expect(onValue).toHaveBeenLastCalledWith({
      site: 'accra',
      image: 'debian-12',
      sizeClass: 'small',
      network: { bridge: 'vmbr0' },
    });
    expect(
      screen.getByText(
        /team-alpha has 3 of 10 VMs, 6 of 40 CPUs left on accra/,
      ),
    ).toBeInTheDocument();
    // 8 CPUs do not fit in the 6 left.
    expect(
      screen.getByRole('option', { name: /^large .* exceeds quota left$/ }),
    ).toBeDisabled();
    fireEvent.change(screen.getByLabelText(/^Image/), {
      target: { value: 'ubuntu-24.04' },
    });
    fireEvent.change(screen.getByLabelText('Node'), {
      target: { value: 'pve-accra-2' },
    });
    fireEvent.change(screen.getByLabelText('VLAN'), {
      target: { value: '20' },
    });
    fireEvent.change(screen.getByLabelText(/^Size class/), {
      target: { value: 'custom' },
    });
    fireEvent.change(screen.getByLabelText(/^CPU cores/), {
      target: { value: '3' },
    });
    expect(onValue).toHaveBeenLastCalledWith({
      site: 'accra',
      node: 'pve-accra-2',
      image: 'ubuntu-24.04',
      sizeClass: 'custom',
      cpu: 3,
      network: { bridge: 'vmbr0', vlan: 20 },
    });
    // Moving to a site without that image falls back to one it has; the node is reset.
    fireEvent.click(screen.getByLabelText('tamale — no quota limit'));
    expect(onValue).toHaveBeenLastCalledWith({
      site: 'tamale',
      image: 'debian-12',
      sizeClass: 'custom',
      cpu: 3,
      network: { bridge: 'vmbr0' },
    });
  });

  it('shows the errors the form reports for the field', async () => {
    const { api } = apiReturning(Promise.resolve(policy));
    await renderField(api, jest.fn(), ['image: must be one of debian-12']);
    expect(
      await screen.findByText('image: must be one of debian-12'),
    ).toBeInTheDocument();
  });
});

describe('validatePlacement', () => {
  async function errorsFor(value: PlacementDraft, owner?: string) {
    const { api } = apiReturning(Promise.resolve(policy));
    const validation = createFieldValidation();
    await validatePlacement(value, validation, {
      apiHolder: { get: () => api } as any,
      formData: owner ? { owner } : {},
      schema: {},
    });
    return validation.__errors;
  }

  const valid: PlacementDraft = {
    site: 'accra',
    image: 'debian-12',
    sizeClass: 'small',
    network: { bridge: 'vmbr0', vlan: 10 },
  };

  it('accepts a placement within policy and quota', async () => {
    expect(await errorsFor(valid, 'team-alpha')).toEqual([]);
  });

  it.each([
    [
      { ...valid, site: 'tamale', image: 'ubuntu-24.04' },
      ['image: must be one of debian-12 on site tamale'],
    ],
    [
      {
        ...valid,
        node: 'pve-kumasi-1',
        network: { bridge: 'vmbr0', vlan: 30 },
      },
      [
        'node: must be one of pve-accra-1, pve-accra-2 on site accra',
        'network.vlan: must be one of 10, 20 on vmbr0 at site accra',
      ],
    ],
    [
      { ...valid, sizeClass: 'large' },
      ['cpu: needs 8 CPUs; the group has 6 left on site accra'],
    ],
    [
      { ...valid, site: 'kumasi', network: { bridge: 'vmbr0' } },
      ['site: the group has no VMs left in its quota on site kumasi'],
    ],
    [
      { ...valid, site: 'tamale', sizeClass: 'custom', cpu: 12 },
      [
        'cpu: must be at most 8 on site tamale',
        'memoryMiB: is required when no size class (or "custom") is chosen',
        'diskGiB: is required when no size class (or "custom") is chosen',
      ],
    ],
  ])('refuses %j', async (value, expected) => {
    expect(await errorsFor(value as PlacementDraft, 'team-alpha')).toEqual(
      expected,
    );
  });

  it('asks for the owner first', async () => {
    expect(await errorsFor(valid)).toEqual([
      'owner: choose the owner group first; the sites and quotas depend on it',
    ]);
  });
});
