import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { GitHost, startGitHost } from './startGitHost';
import { TEST_USERS } from './testUtils';

const REPO = '/api/v1/repos/platform/sankofa-gitops';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('repositories, branches and contents over the Gitea API', () => {
  let host: GitHost;
  const api = () => request(host.url);
  const esi = { Authorization: 'Bearer esi-token' };

  beforeAll(async () => {
    host = await startGitHost({ port: 0, users: TEST_USERS });
  });

  afterAll(() => host.close());

  it('answers version, user and repository', async () => {
    expect((await api().get('/api/v1/version')).body.version).toEqual(
      expect.any(String),
    );
    const user = await api()
      .get('/api/v1/user')
      .set('Authorization', 'token kofi-token');
    expect(user.body).toMatchObject({ login: 'kofi', is_admin: false });
    const basic = await api()
      .get('/api/v1/user')
      .auth('platform', 'platform-token');
    expect(basic.body).toMatchObject({ login: 'platform', is_admin: true });
    expect((await api().get('/api/v1/user')).status).toBe(401);
    const badToken = await api().get(REPO).set('Authorization', 'token wrong');
    expect(badToken.status).toBe(401);
    const repo = await api().get(REPO);
    expect(repo.body).toMatchObject({
      name: 'sankofa-gitops',
      full_name: 'platform/sankofa-gitops',
      owner: { login: 'platform' },
      default_branch: 'main',
      private: false,
      empty: false,
      clone_url: host.repoUrl('platform', 'sankofa-gitops'),
    });
    const missing = await api().get('/api/v1/repos/platform/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      message: "The target couldn't be found.",
      url: `${host.url}/api/swagger`,
    });
  });

  it('reads files and directories at a ref, as the Backstage UrlReader does', async () => {
    const file = await api().get(`${REPO}/contents/catalog-info.yaml?ref=main`);
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({
      type: 'file',
      encoding: 'base64',
      path: 'catalog-info.yaml',
    });
    expect(file.body.sha).toMatch(/^[0-9a-f]{40}$/);
    const location = parse(
      Buffer.from(file.body.content, 'base64').toString('utf8'),
    );
    expect(location).toMatchObject({ kind: 'Location', spec: { targets: [] } });

    const dir = await api().get(`${REPO}/contents/clusters`);
    expect(
      dir.body.map(
        (e: { name: string; type: string }) => `${e.type}:${e.name}`,
      ),
    ).toEqual(['dir:sankofa-east', 'dir:sankofa-west']);
    const root = await api().get(`${REPO}/contents`);
    expect(root.body.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['README.md', 'catalog-info.yaml', 'clusters']),
    );

    const raw = await api().get(
      `${REPO}/raw/clusters/sankofa-east/kustomization.yaml?ref=main`,
    );
    expect(raw.status).toBe(200);
    expect(parse(raw.text)).toMatchObject({
      kind: 'Kustomization',
      resources: [],
    });
    const web = await api().get(
      '/platform/sankofa-gitops/raw/branch/main/README.md',
    );
    expect(web.text).toMatch(/^# sankofa-gitops/);

    expect((await api().get(`${REPO}/contents/nope.yaml`)).status).toBe(404);
    expect(
      (await api().get(`${REPO}/contents/README.md?ref=no-such-ref`)).status,
    ).toBe(404);
    expect((await api().get(`${REPO}/contents/../../etc/passwd`)).status).toBe(
      404,
    );

    const commit = await api().get(`${REPO}/git/commits/main`);
    expect(commit.body.sha).toBe(
      await host.branchSha('platform', 'sankofa-gitops', 'main'),
    );
    const archive = await api().get(`${REPO}/archive/main.tar.gz`);
    expect(archive.status).toBe(200);
    expect(archive.headers['content-type']).toBe('application/gzip');
  });

  it('creates, lists and deletes branches', async () => {
    const created = await api()
      .post(`${REPO}/branches`)
      .set(esi)
      .send({ new_branch_name: 'feature/x', old_branch_name: 'main' });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe('feature/x');
    expect(created.body.commit.id).toBe(
      await host.branchSha('platform', 'sankofa-gitops', 'main'),
    );
    const again = await api()
      .post(`${REPO}/branches`)
      .set(esi)
      .send({ new_branch_name: 'feature/x' });
    expect(again.status).toBe(409);
    const badOld = await api()
      .post(`${REPO}/branches`)
      .set(esi)
      .send({ new_branch_name: 'feature/y', old_ref_name: 'nope' });
    expect(badOld.status).toBe(404);
    const badName = await api()
      .post(`${REPO}/branches`)
      .set(esi)
      .send({ new_branch_name: '../x' });
    expect(badName.status).toBe(422);
    expect((await api().get(`${REPO}/branches/feature/x`)).body.name).toBe(
      'feature/x',
    );
    const list = await api().get(`${REPO}/branches`);
    expect(list.body.map((b: { name: string }) => b.name)).toEqual([
      'feature/x',
      'main',
    ]);
    expect(
      (await api().delete(`${REPO}/branches/feature/x`).set(esi)).status,
    ).toBe(204);
    expect((await api().get(`${REPO}/branches/feature/x`)).status).toBe(404);
    expect((await api().delete(`${REPO}/branches/main`).set(esi)).status).toBe(
      403,
    );
  });

  it('writes several files as one commit and rejects stale or invalid changes whole', async () => {
    const kustomization = await api().get(
      `${REPO}/contents/clusters/sankofa-east/kustomization.yaml`,
    );
    const mainBefore = await host.branchSha(
      'platform',
      'sankofa-gitops',
      'main',
    );
    const res = await api()
      .post(`${REPO}/contents`)
      .set(esi)
      .send({
        branch: 'main',
        new_branch: 'sankofa/vm-a',
        message: 'Request VM a',
        author: { name: 'Esi', email: 'esi@example.test' },
        files: [
          {
            operation: 'create',
            path: 'clusters/sankofa-east/vms/team-alpha/a.yaml',
            content: b64('a\n'),
          },
          {
            operation: 'update',
            path: 'clusters/sankofa-east/kustomization.yaml',
            sha: kustomization.body.sha,
            content: b64('resources:\n  - vms/team-alpha/a.yaml\n'),
          },
          {
            operation: 'delete',
            path: 'README.md',
            sha: (await api().get(`${REPO}/contents/README.md`)).body.sha,
          },
        ],
      });
    expect(res.status).toBe(201);
    expect(res.body.files).toHaveLength(3);
    expect(res.body.files[2]).toBeNull();
    expect(res.body.commit).toMatchObject({
      message: 'Request VM a\n',
      author: { name: 'Esi', email: 'esi@example.test' },
    });
    expect(res.body.commit.parents.map((p: { sha: string }) => p.sha)).toEqual([
      mainBefore,
    ]);
    expect(await host.branchSha('platform', 'sankofa-gitops', 'main')).toBe(
      mainBefore,
    );
    expect(
      await host.readFile(
        'platform',
        'sankofa-gitops',
        'sankofa/vm-a',
        'clusters/sankofa-east/vms/team-alpha/a.yaml',
      ),
    ).toBe('a\n');
    expect(
      await host.readFile(
        'platform',
        'sankofa-gitops',
        'sankofa/vm-a',
        'README.md',
      ),
    ).toBeUndefined();

    const head = await host.branchSha(
      'platform',
      'sankofa-gitops',
      'sankofa/vm-a',
    );
    const attempt = (files: unknown[], extra: object = {}) =>
      api()
        .post(`${REPO}/contents`)
        .set(esi)
        .send({ branch: 'sankofa/vm-a', files, ...extra });
    // A stale sha (the kustomization changed on the branch) fails the whole request.
    const stale = await attempt([
      { operation: 'create', path: 'new.yaml', content: b64('x') },
      {
        operation: 'update',
        path: 'clusters/sankofa-east/kustomization.yaml',
        sha: kustomization.body.sha,
        content: b64('y'),
      },
    ]);
    expect(stale.status).toBe(422);
    expect(stale.body.message).toMatch(/sha does not match/);
    expect(
      (
        await attempt([
          { operation: 'update', path: 'x.yaml', content: b64('x') },
        ])
      ).status,
    ).toBe(422);
    expect(
      (
        await attempt([
          {
            operation: 'create',
            path: 'clusters/sankofa-east/vms/team-alpha/a.yaml',
            content: b64('x'),
          },
        ])
      ).status,
    ).toBe(422);
    expect(
      (
        await attempt([
          { operation: 'delete', path: 'missing.yaml', sha: 'abc' },
        ])
      ).status,
    ).toBe(404);
    expect(
      (
        await attempt([
          { operation: 'create', path: '../escape.yaml', content: b64('x') },
        ])
      ).status,
    ).toBe(422);
    expect(
      (
        await attempt([
          { operation: 'create', path: '.git/config', content: b64('x') },
        ])
      ).status,
    ).toBe(422);
    expect(
      (
        await attempt([
          { operation: 'create', path: 'a.yaml', content: 'not base64!' },
        ])
      ).status,
    ).toBe(422);
    expect(
      (await attempt([{ operation: 'move', path: 'a.yaml' }])).status,
    ).toBe(422);
    expect((await attempt([])).status).toBe(422);
    expect(
      (
        await attempt(
          [{ operation: 'create', path: 'z.yaml', content: b64('z') }],
          { new_branch: 'main' },
        )
      ).status,
    ).toBe(422);
    expect(
      (
        await attempt(
          [{ operation: 'create', path: 'z.yaml', content: b64('z') }],
          { branch: 'missing' },
        )
      ).status,
    ).toBe(404);
    const malformed = await api()
      .post(`${REPO}/contents`)
      .set(esi)
      .set('Content-Type', 'application/json')
      .send('{"files":');
    expect(malformed.status).toBe(400);
    expect(
      await host.branchSha('platform', 'sankofa-gitops', 'sankofa/vm-a'),
    ).toBe(head);

    const anon = await api().post(`${REPO}/contents`).send({ files: [] });
    expect(anon.status).toBe(401);
  });

  it('creates, updates and deletes a single file', async () => {
    const created = await api()
      .post(`${REPO}/contents/docs/one.md`)
      .set(esi)
      .send({ content: b64('one\n'), message: 'one' });
    expect(created.status).toBe(201);
    expect(created.body.content).toMatchObject({
      path: 'docs/one.md',
      type: 'file',
    });
    const updated = await api()
      .put(`${REPO}/contents/docs/one.md`)
      .set(esi)
      .send({ content: b64('two\n'), sha: created.body.content.sha });
    expect(updated.status).toBe(200);
    expect(
      await host.readFile('platform', 'sankofa-gitops', 'main', 'docs/one.md'),
    ).toBe('two\n');
    const noSha = await api()
      .put(`${REPO}/contents/docs/one.md`)
      .set(esi)
      .send({ content: b64('3') });
    expect(noSha.status).toBe(422);
    const deleted = await api()
      .delete(`${REPO}/contents/docs/one.md`)
      .set(esi)
      .send({ sha: updated.body.content.sha });
    expect(deleted.status).toBe(200);
    expect(deleted.body.content).toBeNull();
    expect(
      await host.readFile('platform', 'sankofa-gitops', 'main', 'docs/one.md'),
    ).toBeUndefined();
  });

  it('keeps repositories and pull requests in the state dir across restarts', async () => {
    const stateDir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'sankofa-git-state-'),
    );
    try {
      const first = await startGitHost({
        port: 0,
        users: TEST_USERS,
        stateDir,
      });
      await request(first.url)
        .post(`${REPO}/contents`)
        .set(esi)
        .send({
          new_branch: 'keep',
          files: [{ operation: 'create', path: 'k.txt', content: b64('k') }],
        });
      const pr = await request(first.url)
        .post(`${REPO}/pulls`)
        .set(esi)
        .send({ head: 'keep', base: 'main', title: 'keep' });
      const mainSha = await first.branchSha(
        'platform',
        'sankofa-gitops',
        'main',
      );
      await first.close();
      expect(fs.existsSync(stateDir)).toBe(true);

      const second = await startGitHost({
        port: 0,
        users: TEST_USERS,
        stateDir,
      });
      try {
        expect(
          await second.branchSha('platform', 'sankofa-gitops', 'main'),
        ).toBe(mainSha);
        const again = await request(second.url).get(
          `${REPO}/pulls/${pr.body.number}`,
        );
        expect(again.body).toMatchObject({
          title: 'keep',
          state: 'open',
          head: { ref: 'keep' },
        });
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
