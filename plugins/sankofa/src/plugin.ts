import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { sankofaApiRef } from './api/SankofaApi';
import {
  SANKOFA_PLACEMENT_PICKER,
  SankofaPlacementPicker,
  validatePlacement,
} from './components/placement';
import { SankofaClient } from './api/SankofaClient';
import { rootRouteRef } from './routes';

/** Legacy frontend system plugin; the new system's plugin is in `alpha`. */
export const sankofaPlugin = createPlugin({
  id: 'sankofa',
  apis: [
    createApiFactory({
      api: sankofaApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new SankofaClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

export const SankofaFleetPage = sankofaPlugin.provide(
  createRoutableExtension({
    name: 'SankofaFleetPage',
    component: () => import('./components/FleetPage').then(m => m.FleetPage),
    mountPoint: rootRouteRef,
  }),
);

export const EntityVmStatusCard = sankofaPlugin.provide(
  createComponentExtension({
    name: 'EntityVmStatusCard',
    component: {
      lazy: () =>
        import('./components/EntityVmStatusCard').then(
          m => m.EntityVmStatusCard,
        ),
    },
  }),
);

export const EntityVmResourcesContent = sankofaPlugin.provide(
  createComponentExtension({
    name: 'EntityVmResourcesContent',
    component: {
      lazy: () =>
        import('./components/EntityVmResourcesContent').then(
          m => m.EntityVmResourcesContent,
        ),
    },
  }),
);

/** `ui:field: SankofaPlacementPicker`: put it inside `<ScaffolderFieldExtensions>`. */
export const SankofaPlacementPickerFieldExtension = sankofaPlugin.provide(
  createScaffolderFieldExtension({
    name: SANKOFA_PLACEMENT_PICKER,
    component: SankofaPlacementPicker,
    validation: validatePlacement,
  }),
);
