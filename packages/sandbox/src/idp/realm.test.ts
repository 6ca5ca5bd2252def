import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Realm, groupsClaim } from './realm';

const ORG_FILE = resolve(__dirname, '../../../../examples/org.yaml');

function catalogOrg() {
  const entities = parseAllDocuments(readFileSync(ORG_FILE, 'utf8'))
    .map(d => d.toJS())
    .filter(Boolean);
  return {
    users: entities.filter(e => e.kind === 'User'),
    groups: entities.filter(e => e.kind === 'Group'),
  };
}

describe('the sankofa realm export', () => {
  const realm = Realm.fromFile();

  it('agrees with the demo catalog org: same users, emails and groups, both ways', () => {
    const { users, groups } = catalogOrg();
    const realmUsers = realm.export.users ?? [];
    const fromRealm = Object.fromEntries(
      realmUsers.map(u => [
        u.username,
        { email: u.email, groups: groupsClaim(u.groups ?? [], false).sort() },
      ]),
    );
    const fromCatalog = Object.fromEntries(
      users.map(u => [
        u.metadata.name,
        {
          email: u.spec.profile?.email,
          groups: [...(u.spec.memberOf ?? [])].sort(),
        },
      ]),
    );
    expect(fromRealm).toEqual(fromCatalog);
    expect(Object.keys(fromRealm).length).toBeGreaterThan(0);

    const catalogGroups = new Set(groups.map(g => g.metadata.name));
    for (const g of realm.export.groups ?? []) {
      expect(catalogGroups).toContain(g.name);
    }
  });

  it('gives the portal client a non-full-path groups mapper', () => {
    const client = realm.clients().find(c => c.clientId === 'sankofa-portal');
    const mapper = client?.protocolMappers?.find(
      m => m.protocolMapper === 'oidc-group-membership-mapper',
    );
    expect(mapper?.config).toMatchObject({
      'claim.name': 'groups',
      'full.path': 'false',
    });
  });

  it('checks passwords and finds users by username or email', () => {
    expect(realm.authenticate('kofi', 'kofi-sankofa')?.groupPaths).toEqual([
      '/team-alpha',
    ]);
    expect(
      realm.authenticate('KOFI@sankofa.example', 'kofi-sankofa')?.username,
    ).toBe('kofi');
    expect(realm.authenticate('kofi', 'kofi-sankofa ')).toBeUndefined();
    expect(realm.authenticate('kofi', 'esi-sankofa')).toBeUndefined();
    expect(realm.authenticate('nobody', '')).toBeUndefined();
  });

  it('rejects exports that are not a realm or name undefined groups', () => {
    expect(() => new Realm({ users: [] })).toThrow(/no "realm" name/);
    expect(
      () =>
        new Realm({
          realm: 'x',
          groups: [{ name: 'a' }],
          users: [{ username: 'u', groups: ['/b'] }],
        }),
    ).toThrow('user "u" is in group "/b", which the realm does not define');
  });

  it('maps group paths like the group membership mapper', () => {
    expect(groupsClaim(['/org/team-alpha'], false)).toEqual(['team-alpha']);
    expect(groupsClaim(['/org/team-alpha'], true)).toEqual(['/org/team-alpha']);
  });
});
