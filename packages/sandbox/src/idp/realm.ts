import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { timingSafeEqual, createHash } from 'node:crypto';

/** The realm export shipped with the sandbox; the same file imports into a real Keycloak. */
export const DEFAULT_REALM_FILE = resolve(
  // The sandbox always runs from source (it is never built), so __dirname is this folder.
  // eslint-disable-next-line no-restricted-syntax
  __dirname,
  '../../realms/sankofa-realm.json',
);

/** The parts of Keycloak's realm export format the IdP understands. */
export interface RealmUser {
  username: string;
  email?: string;
  emailVerified?: boolean;
  firstName?: string;
  lastName?: string;
  enabled?: boolean;
  credentials?: { type: string; value?: string; temporary?: boolean }[];
  groups?: string[];
}

export interface RealmGroup {
  name: string;
  path?: string;
  subGroups?: RealmGroup[];
}

export interface RealmProtocolMapper {
  name: string;
  protocolMapper: string;
  config?: Record<string, string>;
}

export interface RealmClient {
  clientId: string;
  name?: string;
  enabled?: boolean;
  publicClient?: boolean;
  secret?: string;
  redirectUris?: string[];
  attributes?: Record<string, string>;
  protocolMappers?: RealmProtocolMapper[];
}

export interface RealmExport {
  realm: string;
  displayName?: string;
  accessTokenLifespan?: number;
  ssoSessionIdleTimeout?: number;
  users?: RealmUser[];
  groups?: RealmGroup[];
  clients?: RealmClient[];
}

/** What the IdP needs of a user: the claims it issues and the password it checks. */
export interface Account {
  username: string;
  email?: string;
  emailVerified: boolean;
  name?: string;
  givenName?: string;
  familyName?: string;
  /** Group paths as Keycloak stores them, e.g. `/team-alpha`. */
  groupPaths: string[];
}

/** A realm loaded from its export, with lookups the login form and token issuer use. */
export class Realm {
  private readonly users = new Map<string, RealmUser>();

  static fromFile(path: string = DEFAULT_REALM_FILE): Realm {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`Cannot read the realm file ${path}: ${e}`);
    }
    return new Realm(parsed, path);
  }

  readonly name: string;

  constructor(readonly data: RealmExport | unknown, source = 'realm') {
    const realm = data as RealmExport;
    if (
      !realm ||
      typeof realm !== 'object' ||
      typeof realm.realm !== 'string'
    ) {
      throw new Error(`${source}: the realm export has no "realm" name`);
    }
    this.name = realm.realm;
    const knownGroups = new Set(allGroupPaths(realm.groups ?? []));
    for (const user of realm.users ?? []) {
      if (typeof user?.username !== 'string' || !user.username) {
        throw new Error(`${source}: a user has no "username"`);
      }
      for (const group of user.groups ?? []) {
        if (!knownGroups.has(group)) {
          throw new Error(
            `${source}: user "${user.username}" is in group "${group}", which the realm does not define`,
          );
        }
      }
      // Keycloak stores usernames in lower case and matches them case-insensitively.
      this.users.set(user.username.toLowerCase(), user);
    }
  }

  get export(): RealmExport {
    return this.data as RealmExport;
  }

  clients(): RealmClient[] {
    return (this.export.clients ?? []).filter(c => c.enabled !== false);
  }

  /** Finds an enabled user by username or (as Keycloak's loginWithEmailAllowed) by email. */
  findUser(usernameOrEmail: string): Account | undefined {
    const key = usernameOrEmail.trim().toLowerCase();
    const user =
      this.users.get(key) ??
      [...this.users.values()].find(u => u.email?.toLowerCase() === key);
    if (!user || user.enabled === false) return undefined;
    return toAccount(user);
  }

  /** Checks a password against the user's `password` credential; undefined when it does not match. */
  authenticate(usernameOrEmail: string, password: string): Account | undefined {
    const account = this.findUser(usernameOrEmail);
    if (!account) return undefined;
    const user = this.users.get(account.username.toLowerCase())!;
    const stored = user.credentials?.find(c => c.type === 'password')?.value;
    if (stored === undefined || !sameSecret(stored, password)) return undefined;
    return account;
  }
}

function toAccount(user: RealmUser): Account {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return {
    username: user.username.toLowerCase(),
    email: user.email,
    emailVerified: user.emailVerified ?? Boolean(user.email),
    name: name || undefined,
    givenName: user.firstName,
    familyName: user.lastName,
    groupPaths: user.groups ?? [],
  };
}

function allGroupPaths(groups: RealmGroup[], parent = ''): string[] {
  return groups.flatMap(g => {
    const path = g.path ?? `${parent}/${g.name}`;
    return [path, ...allGroupPaths(g.subGroups ?? [], path)];
  });
}

/** Compares digests so the time taken does not reveal how much of a password matched. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * The `groups` claim as Keycloak's group membership mapper builds it: full paths, or the last
 * path segment when the mapper's `full.path` is "false".
 */
export function groupsClaim(groupPaths: string[], fullPath: boolean): string[] {
  return groupPaths.map(p => (fullPath ? p : p.split('/').pop() ?? p));
}
