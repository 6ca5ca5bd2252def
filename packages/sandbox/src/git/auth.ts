import type { Request } from 'express';
import type { GitHostState, GitHostUser } from './state';

export type Credentials =
  | { kind: 'anonymous' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'user'; user: GitHostUser & { id: number }; token: string };

/**
 * Reads the caller the way Gitea does: `Authorization: token <t>`,
 * `Bearer <t>`, HTTP Basic with the token as password (what git sends), or a
 * `token`/`access_token` query parameter.
 */
export function authenticate(req: Request, state: GitHostState): Credentials {
  const header = req.headers.authorization;
  const queryToken = [req.query?.token, req.query?.access_token].find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (!header && !queryToken) {
    return { kind: 'anonymous' };
  }
  if (!header) {
    return fromToken(state, queryToken!);
  }
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'token' || scheme === 'bearer') {
    return fromToken(state, value);
  }
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      return { kind: 'invalid', reason: 'malformed basic credentials' };
    }
    const login = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const result = fromToken(state, password);
    if (
      result.kind === 'user' &&
      result.user.login.toLowerCase() !== login.toLowerCase()
    ) {
      return { kind: 'invalid', reason: 'user does not match token' };
    }
    return result;
  }
  return {
    kind: 'invalid',
    reason: `unsupported authorization scheme ${scheme}`,
  };
}

function fromToken(state: GitHostState, token: string): Credentials {
  const user = token ? state.findUserByToken(token) : undefined;
  return user
    ? { kind: 'user', user, token }
    : { kind: 'invalid', reason: 'user does not exist or token is invalid' };
}
