import type { Realm } from './realm';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font-family:sans-serif;background:#f3f3f3;margin:0}
main{max-width:360px;margin:10vh auto;background:#fff;padding:2rem;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.2)}
h1{font-size:1.4rem;margin-top:0}label{display:block;margin:1rem 0 .3rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem}
button,input[type=submit]{margin-top:1.5rem;width:100%;padding:.6rem;background:#0066cc;color:#fff;border:0;border-radius:3px;font-size:1rem;cursor:pointer}
.error{color:#a00;background:#fee;padding:.5rem;border-radius:3px}`;

function page(realm: Realm, title: string, body: string): string {
  const realmName = escapeHtml(realm.export.displayName ?? realm.name);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(
    title,
  )} to ${realmName}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><main><p>${realmName}</p>${body}</main></body></html>`;
}

/** Keycloak's login form: same field names and ids, so scripts written for one work on the other. */
export function loginPage(
  realm: Realm,
  action: string,
  opts: { username?: string; error?: string } = {},
): string {
  const error = opts.error
    ? `<p class="error" role="alert" id="input-error">${escapeHtml(
        opts.error,
      )}</p>`
    : '';
  return page(
    realm,
    'Sign in',
    `<h1 id="kc-page-title">Sign in to your account</h1>${error}
<form id="kc-form-login" method="post" action="${escapeHtml(action)}">
<label for="username">Username or email</label>
<input type="text" id="username" name="username" autocomplete="username" autofocus value="${escapeHtml(
      opts.username ?? '',
    )}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<input type="submit" id="kc-login" name="login" value="Sign In">
</form>`,
  );
}

/** Posts the logout confirmation at once; used when the RP proved the session with id_token_hint. */
export function autoSubmitLogoutPage(form: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signing out</title></head>
<body>${withLogoutYes(form)}<script>document.forms[0].submit()</script>
<noscript><button type="submit" form="op.logoutForm">Logout</button></noscript></body></html>`;
}

export function confirmLogoutPage(realm: Realm, form: string): string {
  return page(
    realm,
    'Logging out',
    `<h1>Do you want to log out?</h1>${withLogoutYes(
      form,
    )}<button type="submit" form="op.logoutForm" id="kc-logout">Logout</button>`,
  );
}

export function loggedOutPage(realm: Realm): string {
  return page(realm, 'Signed out', '<h1>You are logged out</h1>');
}

export function errorPage(realm: Realm, out: Record<string, string>): string {
  const details = Object.entries(out)
    .map(
      ([k, v]) =>
        `<p><strong>${escapeHtml(k)}</strong>: ${escapeHtml(String(v))}</p>`,
    )
    .join('');
  return page(realm, 'Error', `<h1>We are sorry...</h1>${details}`);
}

/** oidc-provider's logout form ends the whole session only when it carries `logout=yes`. */
function withLogoutYes(form: string): string {
  return form.replace(
    '</form>',
    '<input type="hidden" name="logout" value="yes"/></form>',
  );
}
