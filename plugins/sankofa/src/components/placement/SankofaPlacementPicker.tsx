import { ChangeEvent } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  FormControl,
  FormControlLabel,
  FormHelperText,
  FormLabel,
  Grid,
  Radio,
  RadioGroup,
  TextField,
  Typography,
} from '@material-ui/core';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  CUSTOM_SIZE_CLASS,
  PlacementSite,
  XRD_RANGES,
  parseOwnerGroup,
} from '@sankofa/plugin-sankofa-common';
import { sankofaApiRef } from '../../api/SankofaApi';
import {
  PlacementDraft,
  compact,
  placeOn,
  quotaDetails,
  siteLabel,
  sizeFits,
  sizeLabel,
} from './placement';

/** The name templates use: `ui:field: SankofaPlacementPicker`. */
export const SANKOFA_PLACEMENT_PICKER = 'SankofaPlacementPicker';

function ownerName(owner: unknown): string | undefined {
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return parseOwnerGroup(owner);
  } catch {
    return owner;
  }
}

/**
 * Site, node, image, size and network of a VM, offered from the backend's `sankofa.sites`
 * policy for the owner chosen earlier in the form (`owner`), with that group's quota left.
 */
export function SankofaPlacementPicker(
  props: FieldExtensionComponentProps<PlacementDraft>,
) {
  const { formData, onChange, formContext, rawErrors, idSchema, schema } =
    props;
  const owner = formContext?.formData?.owner as string | undefined;
  const api = useApi(sankofaApiRef);
  const {
    value: policy,
    loading,
    error,
  } = useAsync(
    async () => (owner ? api.getPlacementPolicy(owner) : undefined),
    [api, owner],
  );
  const id = idSchema?.$id ?? 'placement';
  const title = schema?.title ?? 'Placement and size';

  if (!owner) {
    return (
      <Typography color="textSecondary">
        Choose the owner group first: the sites and quotas depend on it.
      </Typography>
    );
  }
  if (loading) {
    return <Progress />;
  }
  if (error || !policy) {
    return <ResponseErrorPanel error={error ?? new Error('no policy')} />;
  }

  const site = policy.sites.find(s => s.name === formData?.site);
  const update = (patch: PlacementDraft) =>
    onChange(compact({ ...formData, ...patch }));
  const text = (key: 'node' | 'image' | 'sizeClass') => (e: ChangeEvent<any>) =>
    update({ [key]: e.target.value || undefined });
  const number =
    (key: 'cpu' | 'memoryMiB' | 'diskGiB') => (e: ChangeEvent<any>) =>
      update({
        [key]: e.target.value === '' ? undefined : Number(e.target.value),
      });
  const vlans =
    site?.networks.find(n => n.bridge === formData?.network?.bridge)?.vlans ??
    [];
  const limitOf = {
    cpu: site?.limits.maxCpu,
    memoryMiB: site?.limits.maxMemoryMiB,
    diskGiB: site?.limits.maxDiskGiB,
  };

  return (
    <FormControl
      component="fieldset"
      error={!!rawErrors?.length}
      fullWidth
      margin="normal"
    >
      <FormLabel component="legend">{title}</FormLabel>
      <FormControl component="fieldset" margin="dense">
        <FormLabel component="legend">Site</FormLabel>
        <RadioGroup
          name={`${id}-site`}
          value={formData?.site ?? ''}
          onChange={e => {
            const chosen = policy.sites.find(s => s.name === e.target.value);
            if (chosen) onChange(placeOn(chosen, formData));
          }}
        >
          {policy.sites.map((s: PlacementSite) => (
            <FormControlLabel
              key={s.name}
              value={s.name}
              control={<Radio />}
              label={siteLabel(s)}
              disabled={s.quota.exhausted}
            />
          ))}
        </RadioGroup>
        <FormHelperText>
          {site
            ? quotaDetails(site, policy.owner)
            : `Quota left for ${ownerName(owner)} on each site.`}
        </FormHelperText>
      </FormControl>
      {site && (
        <Grid container spacing={2}>
          <Grid item xs={12} sm={6}>
            <TextField
              id={`${id}-image`}
              label="Image"
              select
              fullWidth
              required
              SelectProps={{ native: true }}
              value={formData?.image ?? ''}
              onChange={text('image')}
            >
              {site.images.map(i => (
                <option key={i} value={i}>
                  {i}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              id={`${id}-node`}
              label="Node"
              select
              fullWidth
              SelectProps={{ native: true }}
              value={formData?.node ?? ''}
              onChange={text('node')}
            >
              <option value="">any node</option>
              {site.nodes.map(n => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              id={`${id}-size`}
              label="Size class"
              select
              fullWidth
              required
              SelectProps={{ native: true }}
              value={formData?.sizeClass ?? ''}
              onChange={text('sizeClass')}
            >
              {site.sizeClasses.map(c => {
                const fits = sizeFits(site, c);
                return (
                  <option key={c.name} value={c.name} disabled={!fits}>
                    {sizeLabel(c)}
                    {fits ? '' : ' — exceeds quota left'}
                  </option>
                );
              })}
              <option value={CUSTOM_SIZE_CLASS}>
                custom (CPU, memory and disk below)
              </option>
            </TextField>
          </Grid>
          {formData?.sizeClass === CUSTOM_SIZE_CLASS &&
            (
              [
                ['cpu', 'CPU cores'],
                ['memoryMiB', 'Memory (MiB)'],
                ['diskGiB', 'Disk (GiB)'],
              ] as const
            ).map(([key, label]) => (
              <Grid item xs={12} sm={4} key={key}>
                <TextField
                  id={`${id}-${key}`}
                  label={label}
                  type="number"
                  fullWidth
                  required
                  inputProps={{
                    min: XRD_RANGES[key].min,
                    max: limitOf[key],
                  }}
                  helperText={`${XRD_RANGES[key].min} to ${limitOf[key]} on ${site.name}`}
                  value={formData?.[key] ?? ''}
                  onChange={number(key)}
                />
              </Grid>
            ))}
          <Grid item xs={12} sm={6}>
            <TextField
              id={`${id}-bridge`}
              label="Bridge"
              select
              fullWidth
              required
              SelectProps={{ native: true }}
              value={formData?.network?.bridge ?? ''}
              onChange={e => update({ network: { bridge: e.target.value } })}
            >
              {site.networks.map(n => (
                <option key={n.bridge} value={n.bridge}>
                  {n.bridge}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              id={`${id}-vlan`}
              label="VLAN"
              select
              fullWidth
              SelectProps={{ native: true }}
              value={formData?.network?.vlan ?? ''}
              onChange={e =>
                update({
                  network: {
                    bridge: formData?.network?.bridge ?? '',
                    vlan:
                      e.target.value === ''
                        ? undefined
                        : Number(e.target.value),
                  },
                })
              }
            >
              <option value="">untagged</option>
              {vlans.map(v => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </TextField>
          </Grid>
        </Grid>
      )}
      {rawErrors?.map(e => (
        <FormHelperText key={e} error>
          {e}
        </FormHelperText>
      ))}
    </FormControl>
  );
}
