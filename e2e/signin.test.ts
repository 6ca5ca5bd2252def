import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './lib/browser.ts';
import { startPortal, type RunningPortal } from './lib/portal.ts';
import { startIdp, type RunningIdp } from './lib/idp.ts';

let idp: RunningIdp;
let portal: RunningPortal;
let browser: Browser;
let page: Page;

before(async () => {
  idp = await startIdp();
  portal = await startPortal({
    env: {
      APP_CONFIG_auth_providers_keycloak_development_metadataUrl: `${idp.issuer}/.well-known/openid-configuration`,
    },
  });
  browser = await launchChromium();
  page = await browser.newPage();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await idp?.stop();
});

/** Clicks the Keycloak provider's button and returns the IdP's login popup. */
async function openKeycloakLogin(): Promise<Page> {
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign In' }).click();
  const login = await popup;
  await login.locator('#password').waitFor();
  return login;
}

test('kofi signs in through the IdP login form and sees his name and groups', async () => {
  await page.goto(portal.baseUrl);
  // Development offers both Keycloak and guest.
  await page.getByRole('button', { name: 'Enter' }).waitFor();

  const login = await openKeycloakLogin();
  await login.fill('#username', 'kofi');
  await login.fill('#password', 'wrong-password');
  await login.getByRole('button', { name: 'Sign In' }).click();
  await login.getByText('Invalid username or password.').waitFor();

  await login.fill('#password', 'kofi-sankofa');
  const closed = login.waitForEvent('close');
  await login.getByRole('button', { name: 'Sign In' }).click();
  await closed;

  await page.getByRole('img', { name: 'Sankofa Portal' }).first().waitFor();
  await page.goto(`${portal.baseUrl}/settings`);
  await page.getByText('Kofi Boateng').first().waitFor({ timeout: 30_000 });
  // The identity card lists ownership: the user and his Keycloak/catalog group.
  await page
    .getByText(/^(Team Alpha|team-alpha|group:default\/team-alpha)$/)
    .first()
    .waitFor();
  assert.equal(await page.getByText(/^(Team Beta|team-beta)$/).count(), 0);
});

test('signing out ends the Keycloak session: the next sign-in asks for the password', async () => {
  await page.goto(`${portal.baseUrl}/settings`);
  await page.getByText('Kofi Boateng').first().waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'more' }).click();
  const idpOrigin = new URL(idp.issuer).origin;
  const wentToIdp = page.waitForRequest(r =>
    r.url().startsWith(`${idp.issuer}/protocol/openid-connect/logout`),
  );
  await page.getByRole('menuitem', { name: 'Sign Out' }).click();
  await wentToIdp;
  // Keycloak sends the browser back to the portal, which shows the sign-in page again.
  await page.waitForURL(
    url => url.origin === portal.baseUrl && !url.href.startsWith(idpOrigin),
  );
  await page
    .getByRole('button', { name: 'Enter' })
    .waitFor({ timeout: 30_000 });

  const login = await openKeycloakLogin();
  assert.equal(await login.locator('#password').inputValue(), '');
  await login.close();
});
