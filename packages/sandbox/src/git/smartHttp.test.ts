import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import request from 'supertest';
import { parse } from 'yaml';
import { GitHost, startGitHost } from './startGitHost';
import { createGitClient, TEST_USERS, withCredentials } from './testUtils';

describe('git smart HTTP', () => {
  let host: GitHost;
  const client = createGitClient();

  beforeAll(async () => {
    host = await startGitHost({ port: 0, users: TEST_USERS });
  });

  afterAll(async () => {
    await host.close();
    client.cleanup();
  });

  it('clones the seeded GitOps repository anonymously', async () => {
    const dir = client.dir('anon');
    await client.run([
      'clone',
      '--quiet',
      host.repoUrl('platform', 'sankofa-gitops'),
      dir,
    ]);
    const east = parse(
      fs.readFileSync(
        path.join(dir, 'clusters/sankofa-east/kustomization.yaml'),
        'utf8',
      ),
    );
    expect(east).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [],
    });
    expect(
      fs.existsSync(path.join(dir, 'clusters/sankofa-west/kustomization.yaml')),
    ).toBe(true);
    const location = parse(
      fs.readFileSync(path.join(dir, 'catalog-info.yaml'), 'utf8'),
    );
    expect(location.kind).toBe('Location');
    expect(location.spec.targets).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'README.md'))).toBe(true);
    const log = await client.run(['log', '--format=%an %ae|%s'], dir);
    expect(log.trim().split('\n')).toEqual([
      'platform platform@sankofa.local|Initial layout of the Sankofa GitOps repository',
    ]);
    expect((await client.run(['branch', '--show-current'], dir)).trim()).toBe(
      'main',
    );
  });

  it('refuses anonymous and wrong-token pushes and accepts a token', async () => {
    const dir = client.dir('push');
    const url = host.repoUrl('platform', 'sankofa-gitops');
    await client.run(['clone', '--quiet', url, dir]);
    fs.mkdirSync(path.join(dir, 'clusters/sankofa-east/vms/team-alpha'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(dir, 'clusters/sankofa-east/vms/team-alpha/web-1.yaml'),
      'kind: VirtualMachine\n',
    );
    await client.run(['add', '-A'], dir);
    await client.run(['commit', '--quiet', '-m', 'Request web-1'], dir);
    await client.run(['checkout', '--quiet', '-b', 'sankofa/web-1'], dir);

    const anonymous = await client.attempt(['push', url, 'sankofa/web-1'], dir);
    expect(anonymous.ok).toBe(false);
    // git only asks for a username after a 401 challenge.
    expect(anonymous.stderr).toMatch(/could not read Username/);

    const wrong = await client.attempt(
      ['push', withCredentials(url, 'kofi', 'not-the-token'), 'sankofa/web-1'],
      dir,
    );
    expect(wrong.ok).toBe(false);
    expect(wrong.stderr).toMatch(/Authentication failed/);

    await client.run(
      [
        'push',
        '--quiet',
        withCredentials(url, 'kofi', 'kofi-token'),
        'sankofa/web-1',
      ],
      dir,
    );
    const local = (await client.run(['rev-parse', 'HEAD'], dir)).trim();
    expect(
      await host.branchSha('platform', 'sankofa-gitops', 'sankofa/web-1'),
    ).toBe(local);
    expect(
      await host.readFile(
        'platform',
        'sankofa-gitops',
        'sankofa/web-1',
        'clusters/sankofa-east/vms/team-alpha/web-1.yaml',
      ),
    ).toBe('kind: VirtualMachine\n');
    expect(await host.branchSha('platform', 'sankofa-gitops', 'main')).not.toBe(
      local,
    );

    // An open PR follows its branch when more commits are pushed.
    const pr = await request(host.url)
      .post('/api/v1/repos/platform/sankofa-gitops/pulls')
      .set('Authorization', 'token kofi-token')
      .send({ head: 'sankofa/web-1', base: 'main', title: 'web-1' });
    expect(pr.body.head.sha).toBe(local);
    fs.writeFileSync(
      path.join(dir, 'clusters/sankofa-east/vms/team-alpha/web-1.yaml'),
      'kind: VirtualMachine\nspec: {}\n',
    );
    await client.run(['commit', '--quiet', '-am', 'Resize web-1'], dir);
    await client.run(
      [
        'push',
        '--quiet',
        withCredentials(url, 'kofi', 'kofi-token'),
        'sankofa/web-1',
      ],
      dir,
    );
    const pushed = (await client.run(['rev-parse', 'HEAD'], dir)).trim();
    const refreshed = await request(host.url).get(
      `/api/v1/repos/platform/sankofa-gitops/pulls/${pr.body.number}`,
    );
    expect(refreshed.body.head.sha).toBe(pushed);

    // And fetch sees it from a second clone.
    const other = client.dir('fetch');
    await client.run(['clone', '--quiet', url, other]);
    await client.run(['fetch', '--quiet', 'origin', 'sankofa/web-1'], other);
    expect((await client.run(['rev-parse', 'FETCH_HEAD'], other)).trim()).toBe(
      pushed,
    );
  });

  it('decodes gzip request bodies sent by git clients', async () => {
    const main = await host.branchSha('platform', 'sankofa-gitops', 'main');
    const payload = zlib.gzipSync(`0032want ${main}\n00000009done\n`);
    const target = new URL(
      `${host.repoUrl('platform', 'sankofa-gitops')}/git-upload-pack`,
    );
    const response = await new Promise<{
      status?: number;
      type?: string;
      body: Buffer;
    }>((resolve, reject) => {
      const req = http.request(
        target,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-git-upload-pack-request',
            'Content-Encoding': 'gzip',
            'Content-Length': payload.length,
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode,
              type: res.headers['content-type'],
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/x-git-upload-pack-result');
    expect(response.body.subarray(0, 8).toString()).toBe('0008NAK\n');
    expect(response.body.includes(Buffer.from('PACK'))).toBe(true);
  });

  it('hides private repositories from anonymous clients', async () => {
    await host.createRepo('kofi', 'secret', { private: true });
    const refs = await request(host.url).get(
      '/kofi/secret.git/info/refs?service=git-upload-pack',
    );
    expect(refs.status).toBe(401);
    expect(refs.headers['www-authenticate']).toMatch(/^Basic/);
    const authed = await request(host.url)
      .get('/kofi/secret.git/info/refs?service=git-upload-pack')
      .auth('kofi', 'kofi-token');
    expect(authed.status).toBe(200);
    expect(authed.headers['content-type']).toBe(
      'application/x-git-upload-pack-advertisement',
    );
  });
});
