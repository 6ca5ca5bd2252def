import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  SANKOFA_PLACEMENT_PICKER,
  SankofaPlacementPicker,
} from './SankofaPlacementPicker';
import { validatePlacement } from './validation';

/** The placement field for the new frontend system's scaffolder (loaded lazily). */
export const placementFormField = createFormField({
  name: SANKOFA_PLACEMENT_PICKER,
  component: SankofaPlacementPicker,
  validation: validatePlacement,
});
