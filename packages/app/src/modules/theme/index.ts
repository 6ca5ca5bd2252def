import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { sankofaDarkTheme, sankofaLightTheme } from './sankofaThemes';

/**
 * Sankofa branding. The extensions are named `light` and `dark` so they replace the app's
 * default themes rather than being added beside them.
 */
export const themeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [sankofaLightTheme, sankofaDarkTheme],
});
