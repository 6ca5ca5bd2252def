/**
 * OpenSSH public key validation. Keys end up in cloud-init and in YAML, so we accept only the
 * one-line `authorized_keys` form with a known algorithm whose blob really encodes that
 * algorithm, and a plain printable comment.
 */
const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const COMMENT = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/;

/** Longest key we accept (an RSA-16384 key is about 2.8 kB). */
export const MAX_SSH_KEY_LENGTH = 4096;

/** Returns why `key` is not an acceptable OpenSSH public key, or undefined when it is. */
export function sshPublicKeyProblem(key: string): string | undefined {
  if (key.length > MAX_SSH_KEY_LENGTH) {
    return `must be at most ${MAX_SSH_KEY_LENGTH} characters`;
  }
  if (/[\r\n]/.test(key)) {
    return 'must be a single line';
  }
  const match = /^(\S+) (\S+)(?: (.*))?$/.exec(key);
  if (!match) {
    return 'must have the form "<type> <base64 key> [comment]"';
  }
  const [, type, blob, comment] = match;
  if (!KEY_TYPES.has(type)) {
    return `key type "${type}" is not one of ${[...KEY_TYPES].join(', ')}`;
  }
  if (!BASE64.test(blob) || blob.length % 4 !== 0) {
    return 'key data is not valid base64';
  }
  // atob rather than Buffer: this package also runs in the browser.
  const bytes = atob(blob);
  if (bytes.length < 4) {
    return 'key data is too short';
  }
  const nameLength =
    bytes.charCodeAt(0) * 2 ** 24 +
    (bytes.charCodeAt(1) << 16) +
    (bytes.charCodeAt(2) << 8) +
    bytes.charCodeAt(3);
  if (nameLength > bytes.length - 4) {
    return 'key data is truncated';
  }
  const encodedType = bytes.slice(4, 4 + nameLength);
  if (encodedType !== type) {
    return `key data encodes "${encodedType}", not "${type}"`;
  }
  if (comment !== undefined && !COMMENT.test(comment)) {
    return 'comment may only contain printable ASCII characters';
  }
  return undefined;
}
