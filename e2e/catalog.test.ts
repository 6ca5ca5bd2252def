import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './lib/browser.ts';
import { startPortal, type RunningPortal } from './lib/portal.ts';

let portal: RunningPortal;
let browser: Browser;
let page: Page;

before(async () => {
  portal = await startPortal();
  browser = await launchChromium();
  page = await browser.newPage();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

test('the portal is branded and offers sign-in', async () => {
  await page.goto(portal.baseUrl);
  assert.equal(await page.title(), 'Sankofa Portal');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByRole('img', { name: 'Sankofa Portal' }).first().waitFor();
});

test('the catalog lists the example system and the portal component', async () => {
  await page.goto(`${portal.baseUrl}/?filters[kind]=system&filters[user]=all`);
  await page
    .getByRole('link', { name: 'Sankofa Cloud' })
    .waitFor({ timeout: 60_000 });

  await page.goto(
    `${portal.baseUrl}/?filters[kind]=component&filters[user]=all`,
  );
  await page
    .getByRole('link', { name: 'Sankofa Portal', exact: true })
    .waitFor();
});

test('the demo teams and their members are in the catalog', async () => {
  await page.goto(`${portal.baseUrl}/catalog/default/group/team-alpha`);
  await page.getByText('Kofi Boateng').first().waitFor({ timeout: 30_000 });
  await page.getByText('Esi Owusu').first().waitFor();
});
