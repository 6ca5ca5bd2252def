import { isDns1123Label, parseClaimRef, stringifyClaimRef } from './claimRef';

describe('parseClaimRef', () => {
  it('parses cluster, namespace and name', () => {
    const ref = parseClaimRef('sankofa-east/team-alpha/web-1');
    expect(ref).toEqual({
      cluster: 'sankofa-east',
      namespace: 'team-alpha',
      name: 'web-1',
    });
    expect(stringifyClaimRef(ref)).toBe('sankofa-east/team-alpha/web-1');
  });

  it.each([
    ['team-alpha/web-1', /<cluster>\/<namespace>\/<name>/],
    ['a/b/c/d', /<cluster>\/<namespace>\/<name>/],
    ['/team-alpha/web-1', /invalid cluster/],
    ['east/Team_Alpha/web-1', /namespace must be a DNS-1123 label/],
    ['east/team-alpha/Web 1', /name must be a DNS-1123 subdomain/],
    ['east/team-alpha/..', /name must be a DNS-1123 subdomain/],
  ])('rejects %s', (value, message) => {
    expect(() => parseClaimRef(value)).toThrow(message);
  });
});

describe('isDns1123Label', () => {
  it('accepts at most 63 characters', () => {
    expect(isDns1123Label('a'.repeat(63))).toBe(true);
    expect(isDns1123Label('a'.repeat(64))).toBe(false);
    expect(isDns1123Label('-a')).toBe(false);
    expect(isDns1123Label('а')).toBe(false); // Cyrillic look-alike
  });
});
