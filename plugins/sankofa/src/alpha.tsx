import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { sankofaApiRef } from './api/SankofaApi';
import { SankofaClient } from './api/SankofaClient';
import { isVmEntity } from './isVmEntity';
import { rootRouteRef } from './routes';

const sankofaApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: sankofaApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new SankofaClient(deps),
    }),
});

const vmStatusCard = EntityCardBlueprint.make({
  name: 'vm-status',
  params: {
    filter: isVmEntity,
    loader: () =>
      import('./components/EntityVmStatusCard').then(m => (
        <m.EntityVmStatusCard />
      )),
  },
});

const vmResourcesContent = EntityContentBlueprint.make({
  name: 'vm-resources',
  params: {
    path: '/vm-resources',
    title: 'Resources',
    filter: isVmEntity,
    loader: () =>
      import('./components/EntityVmResourcesContent').then(m => (
        <m.EntityVmResourcesContent />
      )),
  },
});

const fleetPage = PageBlueprint.make({
  params: {
    path: '/sankofa/vms',
    title: 'Virtual machines',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/FleetPage').then(m => <m.FleetContent />),
  },
});

/** The Sankofa plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'sankofa',
  extensions: [sankofaApi, vmStatusCard, vmResourcesContent, fleetPage],
  routes: { root: rootRouteRef },
});
