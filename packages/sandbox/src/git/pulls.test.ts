import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { GitHost, startGitHost } from './startGitHost';
import { createGitClient, TEST_USERS } from './testUtils';

const REPO = '/api/v1/repos/platform/sankofa-gitops';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('pull requests over the Gitea API', () => {
  let host: GitHost;
  const client = createGitClient();
  const api = () => request(host.url);
  const kofi = { Authorization: 'token kofi-token' };

  beforeAll(async () => {
    host = await startGitHost({ port: 0, users: TEST_USERS });
  });

  afterAll(async () => {
    await host.close();
    client.cleanup();
  });

  async function branchWithFile(branch: string, file: string, text: string) {
    const res = await api()
      .post(`${REPO}/contents`)
      .set(kofi)
      .send({
        branch: 'main',
        new_branch: branch,
        message: `Add ${file}`,
        files: [{ operation: 'create', path: file, content: b64(text) }],
      });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('opens, finds, updates and merges a pull request', async () => {
    const change = await branchWithFile(
      'sankofa/vm-web-1',
      'clusters/sankofa-east/vms/team-alpha/web-1.yaml',
      'kind: VirtualMachine\n',
    );
    expect(change.commit.parents).toHaveLength(1);

    const created = await api().post(`${REPO}/pulls`).set(kofi).send({
      head: 'sankofa/vm-web-1',
      base: 'main',
      title: 'Request VM web-1',
      body: 'for team-alpha',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      number: 1,
      title: 'Request VM web-1',
      body: 'for team-alpha',
      state: 'open',
      merged: false,
      merged_at: null,
      mergeable: true,
      user: { login: 'kofi' },
      head: {
        ref: 'sankofa/vm-web-1',
        label: 'sankofa/vm-web-1',
        sha: change.commit.sha,
      },
      base: { ref: 'main' },
      html_url: `${host.url}/platform/sankofa-gitops/pulls/1`,
      labels: [],
    });
    expect(typeof created.body.id).toBe('number');
    expect(created.body.created_at).toEqual(expect.any(String));

    // The scaffolder looks up an existing PR by head branch before creating one.
    const byHead = await api().get(
      `${REPO}/pulls?state=open&head=sankofa/vm-web-1`,
    );
    expect(byHead.body.map((p: { number: number }) => p.number)).toEqual([1]);
    const byOtherHead = await api().get(
      `${REPO}/pulls?state=open&head=sankofa/other`,
    );
    expect(byOtherHead.body).toEqual([]);
    const byBaseHead = await api().get(`${REPO}/pulls/main/sankofa/vm-web-1`);
    expect(byBaseHead.status).toBe(200);
    expect(byBaseHead.body.number).toBe(1);

    const duplicate = await api()
      .post(`${REPO}/pulls`)
      .set(kofi)
      .send({ head: 'sankofa/vm-web-1', base: 'main', title: 'again' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.message).toMatch(
      /^pull request already exists for these targets/,
    );
    expect(duplicate.body.url).toEqual(expect.any(String));

    const edited = await api()
      .patch(`${REPO}/pulls/1`)
      .set(kofi)
      .send({ title: 'Request VM web-1 (2 cpu)', body: 'updated' });
    expect(edited.status).toBe(201);
    expect(edited.body).toMatchObject({
      title: 'Request VM web-1 (2 cpu)',
      body: 'updated',
    });

    const label = await api()
      .post(`${REPO}/labels`)
      .set(kofi)
      .send({ name: 'sankofa', color: '#00aabb' });
    expect(label.status).toBe(201);
    expect(label.body).toMatchObject({ name: 'sankofa', color: '00aabb' });
    const labelled = await api()
      .post(`${REPO}/issues/1/labels`)
      .set(kofi)
      .send({ labels: [label.body.id] });
    expect(labelled.body.map((l: { name: string }) => l.name)).toEqual([
      'sankofa',
    ]);

    const reviewers = await api()
      .post(`${REPO}/pulls/1/requested_reviewers`)
      .set(kofi)
      .send({ reviewers: ['esi'] });
    expect(reviewers.status).toBe(201);
    expect(reviewers.body[0]).toMatchObject({
      user: { login: 'esi' },
      state: 'REQUEST_REVIEW',
    });

    const diff = await api().get(`${REPO}/pulls/1.diff`);
    expect(diff.status).toBe(200);
    expect(diff.text).toContain(
      '+++ b/clusters/sankofa-east/vms/team-alpha/web-1.yaml',
    );
    expect(diff.text).toContain('+kind: VirtualMachine');

    const merged = await api()
      .post(`${REPO}/pulls/1/merge`)
      .set(kofi)
      .send({ Do: 'merge' });
    expect(merged.status).toBe(200);
    const again = await api()
      .post(`${REPO}/pulls/1/merge`)
      .set(kofi)
      .send({ Do: 'merge' });
    expect(again.status).toBe(405);

    const after = await api().get(`${REPO}/pulls/1`);
    expect(after.body).toMatchObject({
      state: 'closed',
      merged: true,
      merged_by: { login: 'kofi' },
      labels: [{ name: 'sankofa' }],
      requested_reviewers: [{ login: 'esi' }],
    });
    expect(after.body.merged_at).toEqual(expect.any(String));
    expect((await api().get(`${REPO}/pulls?state=open`)).body).toEqual([]);
    expect((await api().get(`${REPO}/pulls?state=closed`)).body).toHaveLength(
      1,
    );

    // A fresh clone over HTTP has the file on main, via a real merge commit.
    const dir = client.dir('after-merge');
    await client.run([
      'clone',
      '--quiet',
      host.repoUrl('platform', 'sankofa-gitops'),
      dir,
    ]);
    expect(
      fs.readFileSync(
        path.join(dir, 'clusters/sankofa-east/vms/team-alpha/web-1.yaml'),
        'utf8',
      ),
    ).toBe('kind: VirtualMachine\n');
    const parents = (await client.run(['log', '-1', '--format=%P'], dir))
      .trim()
      .split(' ');
    expect(parents).toHaveLength(2);
    expect(parents[1]).toBe(change.commit.sha);
    expect(after.body.merge_commit_sha).toBe(
      (await client.run(['rev-parse', 'HEAD'], dir)).trim(),
    );
  });

  it('allows a new PR for a head once the previous one is closed', async () => {
    await branchWithFile(
      'sankofa/vm-db-1',
      'catalog/team-beta/db-1.yaml',
      'kind: Resource\n',
    );
    const first = await api()
      .post(`${REPO}/pulls`)
      .set(kofi)
      .send({ head: 'sankofa/vm-db-1', base: 'main', title: 'db-1' });
    expect(first.status).toBe(201);
    const closed = await api()
      .patch(`${REPO}/pulls/${first.body.number}`)
      .set(kofi)
      .send({ state: 'closed' });
    expect(closed.body).toMatchObject({ state: 'closed', merged: false });
    const closedMerge = await api()
      .post(`${REPO}/pulls/${first.body.number}/merge`)
      .set(kofi)
      .send({ Do: 'merge' });
    expect(closedMerge.status).toBe(405);
    const second = await api()
      .post(`${REPO}/pulls`)
      .set(kofi)
      .send({ head: 'sankofa/vm-db-1', base: 'main', title: 'db-1 again' });
    expect(second.status).toBe(201);
    // Reopening the first would duplicate the open second one.
    const reopen = await api()
      .patch(`${REPO}/pulls/${first.body.number}`)
      .set(kofi)
      .send({ state: 'open' });
    expect(reopen.status).toBe(409);
    const lookup = await api().get(`${REPO}/pulls/main/sankofa/vm-db-1`);
    expect(lookup.body.number).toBe(second.body.number);
  });

  it('squash-merges into one commit with a single parent', async () => {
    await branchWithFile(
      'sankofa/vm-sq',
      'catalog/team-alpha/sq.yaml',
      'a: 1\n',
    );
    const pr = await api()
      .post(`${REPO}/pulls`)
      .set(kofi)
      .send({ head: 'sankofa/vm-sq', base: 'main', title: 'squash me' });
    const res = await api()
      .post(`${REPO}/pulls/${pr.body.number}/merge`)
      .set(kofi)
      .send({ Do: 'squash', delete_branch_after_merge: true });
    expect(res.status).toBe(200);
    expect(
      await host.readFile(
        'platform',
        'sankofa-gitops',
        'main',
        'catalog/team-alpha/sq.yaml',
      ),
    ).toBe('a: 1\n');
    expect(
      await host.branchSha('platform', 'sankofa-gitops', 'sankofa/vm-sq'),
    ).toBeUndefined();
    const commit = await api().get(`${REPO}/git/commits/main`);
    expect(commit.body.parents).toHaveLength(1);
    expect(commit.body.commit.message).toMatch(/^squash me \(#\d+\)/);
    // The closed PR keeps its head after the branch is gone.
    const diff = await api().get(`${REPO}/pulls/${pr.body.number}.diff`);
    expect(diff.text).toContain('catalog/team-alpha/sq.yaml');
  });

  it('answers 405 for a conflicting merge and leaves main untouched', async () => {
    const file = 'clusters/sankofa-west/kustomization.yaml';
    const current = await api().get(`${REPO}/contents/${file}`);
    for (const branch of ['conflict-a', 'conflict-b']) {
      const res = await api()
        .post(`${REPO}/contents`)
        .set(kofi)
        .send({
          new_branch: branch,
          files: [
            {
              operation: 'update',
              path: file,
              sha: current.body.sha,
              content: b64(`# ${branch}\n`),
            },
          ],
        });
      expect(res.status).toBe(201);
    }
    const a = await api()
      .post(`${REPO}/pulls`)
      .set(kofi)
      .send({ head: 'conflict-a', base: 'main', title: 'a' });
    const b = await api()
      .post(`${REPO}/pulls`)
      .set(kofi)
      .send({ head: 'conflict-b', base: 'main', title: 'b' });
    expect(
      (
        await api()
          .post(`${REPO}/pulls/${a.body.number}/merge`)
          .set(kofi)
          .send({ Do: 'merge' })
      ).status,
    ).toBe(200);
    const mainBefore = await host.branchSha(
      'platform',
      'sankofa-gitops',
      'main',
    );
    expect(
      (await api().get(`${REPO}/pulls/${b.body.number}`)).body.mergeable,
    ).toBe(false);
    const res = await api()
      .post(`${REPO}/pulls/${b.body.number}/merge`)
      .set(kofi)
      .send({ Do: 'merge' });
    expect(res.status).toBe(405);
    expect(res.body.message).toMatch(/Merge Conflicts/);
    expect(await host.branchSha('platform', 'sankofa-gitops', 'main')).toBe(
      mainBefore,
    );
  });

  it('validates pull request input and authentication', async () => {
    const anon = await api()
      .post(`${REPO}/pulls`)
      .send({ head: 'x', base: 'main', title: 't' });
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({
      message: 'token is required',
      url: `${host.url}/api/swagger`,
    });
    const noTitle = await api()
      .post(`${REPO}/pulls`)
      .set(kofi)
      .send({ head: 'conflict-b', base: 'main' });
    expect(noTitle.status).toBe(422);
    expect(noTitle.body.message).toMatch(/Title/);
    const missingBranch = await api()
      .post(`${REPO}/pulls`)
      .set(kofi)
      .send({ head: 'nope', base: 'main', title: 't' });
    expect(missingBranch.status).toBe(404);
    const missingPr = await api().get(`${REPO}/pulls/999`);
    expect(missingPr.status).toBe(404);
    expect(missingPr.body.message).toEqual(expect.any(String));
    const badMerge = await api()
      .post(`${REPO}/pulls/1/merge`)
      .set(kofi)
      .send({ Do: 'octopus' });
    expect(badMerge.status).toBe(422);
    const noLookup = await api().get(`${REPO}/pulls/main/nope`);
    expect(noLookup.status).toBe(404);
  });
});
