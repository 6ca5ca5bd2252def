import fs from 'node:fs';
import path from 'node:path';
import { GitRepository } from './GitRepository';

/** A user of the Git host; the token is its API and push credential. */
export interface GitHostUser {
  login: string;
  token: string;
  admin?: boolean;
  email?: string;
  fullName?: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string;
}

export interface PullRecord {
  id: number;
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  user: string;
  headBranch: string;
  baseBranch: string;
  labelIds: number[];
  assignees: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  merged: boolean;
  mergedAt?: string;
  mergedBy?: string;
  mergeCommitSha?: string;
  /** The merge base when the PR was merged, so the diff stays stable. */
  mergeBase?: string;
  comments: CommentRecord[];
}

export interface CommentRecord {
  id: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  description: string;
  private: boolean;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  labels: LabelRecord[];
  pulls: PullRecord[];
  nextIndex: number;
}

interface PersistedState {
  nextId: number;
  repos: RepoRecord[];
}

/**
 * Everything the host knows beyond the git objects themselves (pull requests,
 * labels, ids), kept in memory and mirrored to `meta.json` in the state dir so
 * a restarted sandbox comes back with the same pull requests.
 */
export class GitHostState {
  private readonly data: PersistedState;
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly users: Array<GitHostUser & { id: number }>;

  constructor(readonly stateDir: string, users: GitHostUser[]) {
    fs.mkdirSync(path.join(stateDir, 'repos'), { recursive: true });
    const metaFile = this.metaFile();
    this.data = fs.existsSync(metaFile)
      ? JSON.parse(fs.readFileSync(metaFile, 'utf8'))
      : { nextId: 1, repos: [] };
    this.users = users.map((u, i) => ({ ...u, id: i + 1 }));
  }

  private metaFile() {
    return path.join(this.stateDir, 'meta.json');
  }

  /** Writes the metadata atomically (rename) so a crash never leaves half a file. */
  save() {
    const tmp = `${this.metaFile()}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data, null, 2));
    fs.renameSync(tmp, this.metaFile());
  }

  nextId(): number {
    return this.data.nextId++;
  }

  findUserByToken(token: string) {
    return this.users.find(u => u.token === token);
  }

  findUser(login: string) {
    return this.users.find(u => u.login.toLowerCase() === login.toLowerCase());
  }

  /** Owners that are not configured users (organisations such as `platform`). */
  ownerId(login: string): number {
    const user = this.findUser(login);
    if (user) {
      return user.id;
    }
    // Stable, distinct from user ids.
    let hash = 0;
    for (const c of login) {
      hash = (hash * 31 + c.charCodeAt(0)) % 100000;
    }
    return 100000 + hash;
  }

  listRepos(): RepoRecord[] {
    return this.data.repos;
  }

  findRepo(owner: string, name: string): RepoRecord | undefined {
    return this.data.repos.find(
      r =>
        r.owner.toLowerCase() === owner.toLowerCase() &&
        r.name.toLowerCase() === name.toLowerCase(),
    );
  }

  gitDir(owner: string, name: string) {
    return path.join(
      this.stateDir,
      'repos',
      owner.toLowerCase(),
      `${name.toLowerCase()}.git`,
    );
  }

  git(record: RepoRecord): GitRepository {
    return new GitRepository(
      this.gitDir(record.owner, record.name),
      this.stateDir,
    );
  }

  async createRepo(options: {
    owner: string;
    name: string;
    description?: string;
    private?: boolean;
    defaultBranch?: string;
  }): Promise<RepoRecord> {
    const now = new Date().toISOString();
    const record: RepoRecord = {
      id: this.nextId(),
      owner: options.owner,
      name: options.name,
      description: options.description ?? '',
      private: options.private ?? false,
      defaultBranch: options.defaultBranch ?? 'main',
      createdAt: now,
      updatedAt: now,
      labels: [],
      pulls: [],
      nextIndex: 1,
    };
    await GitRepository.init(
      this.gitDir(record.owner, record.name),
      this.stateDir,
      record.defaultBranch,
    );
    this.data.repos.push(record);
    this.save();
    return record;
  }

  /**
   * Serialises writers of one repository so checks (sha matches, PR exists)
   * and the writes they guard cannot interleave.
   */
  withRepoLock<T>(record: RepoRecord, fn: () => Promise<T>): Promise<T> {
    const key = `${record.owner}/${record.name}`.toLowerCase();
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, settled);
    return run;
  }
}
