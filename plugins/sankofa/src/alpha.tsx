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
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { Content } from '@backstage/core-components';
import DnsIcon from '@material-ui/icons/Dns';
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
    icon: <DnsIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    // The app draws the page header; Content gives the table the usual page padding.
    loader: () =>
      import('./components/FleetPage').then(m => (
        <Content>
          <m.FleetContent />
        </Content>
      )),
  },
});

/** `ui:field: SankofaPlacementPicker` in templates: site, node, image, size and network. */
const placementField = FormFieldBlueprint.make({
  name: 'placement-picker',
  params: {
    field: () =>
      import('./components/placement/formField').then(
        m => m.placementFormField,
      ),
  },
});

/** The Sankofa plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'sankofa',
  extensions: [
    sankofaApi,
    vmStatusCard,
    vmResourcesContent,
    fleetPage,
    placementField,
  ],
  routes: { root: rootRouteRef },
});
