export {
  SankofaPlacementPicker,
  SANKOFA_PLACEMENT_PICKER,
} from './SankofaPlacementPicker';
export { validatePlacement } from './validation';
export type { PlacementDraft } from './placement';
