import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { placementIssues } from '@sankofa/plugin-sankofa-common';
import { sankofaApiRef } from '../../api/SankofaApi';
import { PlacementDraft } from './placement';

/**
 * Refuses a placement the policy does not allow (site, node, image, network, size) or that no
 * longer fits the owner's quota. The policy is fetched again here rather than trusted from the
 * component: quota may have moved since the form loaded. The action checks everything once more.
 */
export const validatePlacement: CustomFieldValidator<PlacementDraft> = async (
  value,
  validation,
  { apiHolder, formData },
) => {
  const owner = formData?.owner;
  if (typeof owner !== 'string' || owner === '') {
    validation.addError(
      'owner: choose the owner group first; the sites and quotas depend on it',
    );
    return;
  }
  const api = apiHolder.get(sankofaApiRef);
  if (!api) {
    validation.addError('the Sankofa API is not installed in this app');
    return;
  }
  let policy;
  try {
    policy = await api.getPlacementPolicy(owner);
  } catch (e) {
    validation.addError(
      `could not load the site policy: ${(e as Error).message}`,
    );
    return;
  }
  for (const issue of placementIssues(value, policy)) {
    validation.addError(`${issue.field}: ${issue.rule}`);
  }
};
