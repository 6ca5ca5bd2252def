import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './lib/browser.ts';
import { startPortal, type RunningPortal } from './lib/portal.ts';
import { startSandbox, type RunningSandbox } from './lib/sandbox.ts';

// Long enough that the page shows the VM before Proxmox finishes it; the card polls every 5 s.
const PROVISION_SECONDS = 12;
// ArgoCD syncs only when the test refreshes it, so the claim reaches the cluster once the
// VM's catalog page exists; with its own polling the VM could be Ready before the page loads.
const ARGOCD_POLL_SECONDS = 600;

const SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBGUvRL8aBcQp8bW/yFdZt5mr22FLg4x5KrATnEPmpO e2e@sankofa';
const NOT_READY = ['Pending', 'Creating'];

let sandbox: RunningSandbox;
let portal: RunningPortal;
let browser: Browser;
let page: Page;

before(async () => {
  sandbox = await startSandbox({
    provisionSeconds: PROVISION_SECONDS,
    pollSeconds: ARGOCD_POLL_SECONDS,
  });
  // The GitOps repo's catalog-info.yaml is re-read every 2 s, so the merged VM shows up quickly.
  const overlay = join(sandbox.dir, 'app-config.e2e.yaml');
  writeFileSync(overlay, 'catalog:\n  processingInterval: { seconds: 2 }\n');
  portal = await startPortal({ configs: [sandbox.configFile, overlay] });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await sandbox?.stop();
});

async function signIn(user: string) {
  await page.goto(portal.baseUrl);
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign In' }).click();
  const login = await popup;
  await login.fill('#username', user);
  await login.fill('#password', `${user}-sankofa`);
  const closed = login.waitForEvent('close');
  await login.getByRole('button', { name: 'Sign In' }).click();
  await closed;
  await page.getByRole('img', { name: 'Sankofa Portal' }).first().waitFor();
}

/** Fills "Request a virtual machine" and creates it; returns the pull request's URL. */
async function requestVm(name: string): Promise<string> {
  await page.goto(`${portal.baseUrl}/create`);
  await page
    .locator('.MuiCard-root')
    .filter({
      has: page.getByText('Request a virtual machine', { exact: true }),
    })
    .getByRole('button', { name: 'Choose' })
    .click();

  await page.fill('#root_name', name);
  // The owner picker lists groups by title.
  await page.fill('#root_owner', 'Team Alpha');
  await page.getByRole('option', { name: 'Team Alpha', exact: true }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  // Placement comes from the backend's site policy with the owner's quota.
  await page.getByRole('radio', { name: /^accra\b/ }).check();
  await page.locator('#root_placement-image').selectOption('debian-12');
  await page.locator('#root_placement-size').selectOption('small');
  await page.getByRole('button', { name: 'Next' }).click();

  // minItems: 1 gives the form its first key field.
  await page.fill('#root_sshKeys_0', SSH_KEY);
  await page.getByRole('button', { name: 'Review' }).click();

  await page.getByText(name, { exact: true }).first().waitFor();
  await page.getByRole('button', { name: 'Create' }).click();

  const prLink = page.getByRole('link', { name: 'Pull request' });
  await prLink.waitFor({ timeout: 90_000 });
  const href = await prLink.getAttribute('href');
  assert.ok(href, 'the task output links to the pull request');
  return href;
}

/** Opens the VM's catalog page, navigating again until the catalog has ingested the entity. */
async function openVmPage(name: string) {
  const url = `${portal.baseUrl}/catalog/team-alpha/resource/${name}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.goto(url);
    const card = page.getByText('Virtual machine', { exact: true });
    const missing = page.getByText(/not found|no such entity/i);
    await card.or(missing).first().waitFor({ timeout: 30_000 });
    if (await card.first().isVisible()) return;
    if (Date.now() > deadline) {
      throw new Error(`${url} did not appear in the catalog within 60 s`);
    }
    await page.waitForTimeout(2000);
  }
}

/**
 * Records every text the VM state badge shows in this document, from now on. The record lives
 * on `window`, so a reload or a navigation would lose it.
 */
async function recordBadgeStates() {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as any).__vmStates = seen;
    const note = () => {
      const text = document.querySelector(
        '[data-testid="vm-state"]',
      )?.textContent;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    };
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
    note();
  });
}

const recordedStates = () =>
  page.evaluate(() => (window as any).__vmStates as string[] | undefined);

test('a VM requested through the template goes from Creating to Ready on its page', async t => {
  try {
    const states = await requestMergeAndWatch();
    t.diagnostic(`VM states on its page: ${states.join(' → ')}`);
  } catch (e) {
    await page
      ?.screenshot({ path: '/tmp/vm-request-failure.png', fullPage: true })
      .catch(() => undefined);
    throw e;
  }
});

async function requestMergeAndWatch(): Promise<string[]> {
  const name = `e2e-${Date.now().toString(36)}`;
  await signIn('kofi');

  const prUrl = await requestVm(name);
  const prNumber = Number(/\/pulls\/(\d+)$/.exec(prUrl)?.[1]);
  assert.ok(prNumber > 0, `a pull request URL: ${prUrl}`);

  await sandbox.mergePullRequest(prNumber);
  // The catalog picks the VM entity up from the merged catalog-info.yaml.
  await openVmPage(name);

  // Only now does ArgoCD sync the merged claim into the cluster.
  await sandbox.refresh();
  await page.goto(`${portal.baseUrl}/catalog/team-alpha/resource/${name}`);
  await recordBadgeStates();
  await page.getByTestId('vm-state').waitFor({ timeout: 30_000 });
  const [first] = (await recordedStates())!;
  assert.ok(
    NOT_READY.includes(first),
    `the VM is still being created when its page opens, got "${first}"`,
  );

  // The card polls while the VM is not Ready; the page is never reloaded.
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="vm-state"]')?.textContent ===
      'Ready',
    undefined,
    { timeout: (PROVISION_SECONDS + 30) * 1000, polling: 250 },
  );
  const states = await recordedStates();
  assert.ok(states, 'the page was not reloaded');
  assert.ok(
    states.includes('Creating'),
    `Creating was shown: ${states.join(' → ')}`,
  );
  assert.equal(states[states.length - 1], 'Ready');
  assert.ok(
    states.every(s => s === 'Ready' || NOT_READY.includes(s)),
    `only provisioning states before Ready: ${states.join(' → ')}`,
  );
  await page.getByText('Synced True · Ready True').waitFor();
  // The chip fades to its Ready colour (a CSS transition); shoot once it has.
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="vm-state"]')!.getAnimations()
        .length === 0,
  );

  // A viewport as tall as the page, so the screenshot shows the whole card with the side bar.
  const height = await page.evaluate(() => document.body.scrollHeight);
  await page.setViewportSize({ width: 1400, height: Math.max(1000, height) });
  await page.screenshot({ path: '/tmp/vm-ready.png' });
  return states;
}
