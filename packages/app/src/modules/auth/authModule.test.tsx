import { render, screen } from '@testing-library/react';
import { createApp } from '@backstage/frontend-defaults';
import { authModule } from './authModule';

function renderApp(environment: string, extensions: unknown[] = []) {
  process.env = {
    NODE_ENV: 'test',
    APP_CONFIG: [
      {
        data: {
          app: { title: 'Test', extensions },
          backend: { baseUrl: 'http://localhost:7007' },
          auth: { environment },
        },
        context: 'test',
      },
    ] as any,
  };
  return render(createApp({ features: [authModule] }).createRoot());
}

describe('the sign-in page', () => {
  it('offers Keycloak and, in development, guest', async () => {
    renderApp('development');
    expect(await screen.findByText('Keycloak')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
  });

  it('leaves guest out in development when the page config says so', async () => {
    renderApp('development', [
      { 'sign-in-page:app': { config: { allowGuest: false } } },
    ]);
    expect(await screen.findByText('Keycloak')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Enter' })).toBeNull();
  });

  it('offers only Keycloak outside development', async () => {
    renderApp('production');
    expect(await screen.findByText('Keycloak')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Enter' })).toBeNull();
  });
});
