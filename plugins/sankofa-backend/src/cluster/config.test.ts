import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { readClusters } from './config';

describe('readClusters', () => {
  it('reads sankofa.clusters', () => {
    const clusters = readClusters(
      new ConfigReader({
        sankofa: {
          clusters: [
            {
              name: 'sankofa-east',
              url: 'https://east.example.org:6443/',
              authProvider: 'serviceAccount',
              serviceAccountToken: 't',
              caData: 'Q0E=',
            },
          ],
        },
      }),
    );
    expect(clusters).toEqual([
      {
        name: 'sankofa-east',
        url: 'https://east.example.org:6443',
        authProvider: 'serviceAccount',
        serviceAccountToken: 't',
        caData: 'Q0E=',
        skipTLSVerify: false,
      },
    ]);
  });

  it('refuses an unsupported auth provider, a bad URL and duplicate names in sankofa.clusters', () => {
    const read = (clusters: any[]) => () =>
      readClusters(new ConfigReader({ sankofa: { clusters } }));
    expect(
      read([{ name: 'a', url: 'https://a', authProvider: 'google' }]),
    ).toThrow(/only serviceAccount/);
    expect(
      read([{ name: 'a', url: 'ftp://a', authProvider: 'serviceAccount' }]),
    ).toThrow(/http\(s\)/);
    expect(
      read([{ name: 'a', url: 'not a url', authProvider: 'serviceAccount' }]),
    ).toThrow(/invalid url/);
    expect(
      read([
        { name: 'a', url: 'https://a', authProvider: 'serviceAccount' },
        { name: 'a', url: 'https://b', authProvider: 'serviceAccount' },
      ]),
    ).toThrow(/configured twice/);
  });

  it("falls back to the Kubernetes plugin's config locator, skipping clusters it cannot use", () => {
    const logger = mockServices.logger.mock();
    const clusters = readClusters(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'catalog' },
            {
              type: 'config',
              clusters: [
                {
                  name: 'east',
                  url: 'https://east',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'x',
                },
                { name: 'gke', url: 'https://gke', authProvider: 'google' },
              ],
            },
          ],
        },
      }),
      logger,
    );
    expect(clusters.map(c => c.name)).toEqual(['east']);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('"gke"'));
  });
});
