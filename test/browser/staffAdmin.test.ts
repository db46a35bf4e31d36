import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPerson, screenshot, signIn } from './support/browser.js';
import { startWebPlatform, type WebPlatform } from './support/platform.js';

let platform: WebPlatform;
let browser: Browser;
const ADMIN = { email: 'admin@pharmacy.example.org', password: 'admin-password-for-browser-tests' };

beforeAll(async () => {
  [platform, browser] = await Promise.all([startWebPlatform(), launchChromium()]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

describe('staff accounts in the browser', () => {
  it('an admin creates an account; its holder must choose a password first; the admin ends their session', async () => {
    const admin = await newPerson(browser, platform.url);
    await signIn(admin.page, ADMIN);
    // An admin holds no patient data: they land on account management, not the order console.
    await admin.page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    expect(new URL(admin.page.url()).pathname).toBe('/admin/staff');
    await expect(admin.page.getByRole('link', { name: 'Console' }).count()).resolves.toBe(0);

    await admin.page.getByLabel('Email').fill('new.ops@pharmacy.example.org');
    await admin.page.getByLabel('Name').fill('Noor Haddad');
    await admin.page.getByRole('button', { name: 'Create the account' }).click();
    const created = admin.page.locator('[data-temporary-password]');
    await created.waitFor();
    const temporary = (await created.getAttribute('data-temporary-password'))!;
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    await admin.page.getByRole('link', { name: 'Noor Haddad' }).waitFor();
    await screenshot(admin.page, '30-admin-staff-accounts');

    // The new member signs in with the temporary password and can do nothing before replacing it.
    const member = await newPerson(browser, platform.url);
    await member.page.goto('/login');
    await member.page.getByLabel('Email').fill('new.ops@pharmacy.example.org');
    await member.page.getByLabel('Password').fill(temporary);
    await member.page.getByRole('button', { name: 'Sign in' }).click();
    await member.page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    await member.page.goto('/');
    await member.page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    await member.page.getByLabel('Current password').fill(temporary);
    await member.page.getByLabel('New password (at least 12 characters)').fill('noor chose this one');
    await member.page.getByLabel('New password again').fill('noor chose this one');
    await member.page.getByRole('button', { name: 'Save the new password' }).click();
    await member.page.waitForURL((url) => url.pathname === '/');
    await member.page.getByRole('heading', { name: 'Order console' }).waitFor();

    // The admin sees the session and ends it; the member's next request finds itself signed out.
    await admin.page.getByRole('link', { name: 'Noor Haddad' }).click();
    await admin.page.getByRole('heading', { name: 'Noor Haddad' }).waitFor();
    const sessions = admin.page.locator('[data-session-id]');
    await sessions.first().waitFor();
    await screenshot(admin.page, '31-admin-staff-member');
    await admin.page.getByLabel('Reason (kept in the audit trail)').fill('shared computer left signed in');
    await admin.page.getByRole('button', { name: 'End every session' }).click();
    await expect.poll(() => sessions.count(), { timeout: 30_000 }).toBe(0);
    await member.page.reload();
    await member.page.waitForURL((url) => url.pathname === '/login');

    // Disabled: the account says so, and its password no longer signs in.
    await admin.page.getByLabel('Reason (kept in the audit trail)').fill('left the pharmacy');
    await admin.page.getByRole('button', { name: 'Disable the account' }).click();
    await admin.page.locator('[data-account-state="disabled"]').waitFor();
    const login = await fetch(`${platform.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'new.ops@pharmacy.example.org', password: 'noor chose this one' }),
    });
    expect(login.status).toBe(401);
    await admin.context.close();
    await member.context.close();
  }, 120_000);

  it('shows who acted by name in an order’s history, the staff id on hover', async () => {
    const orderId = await platform.intake();
    const ops = await newPerson(browser, platform.url);
    await signIn(ops.page, platform.staff.ops);
    await ops.page.goto(`/orders/${orderId}`);
    const start = ops.page.getByRole('button', { name: 'Start enrollment' });
    await start.waitFor({ timeout: 30_000 });
    await start.click();
    const actor = ops.page.locator('.timeline [data-actor^="staff:"]').first();
    await actor.waitFor({ timeout: 30_000 });
    await expect(actor.textContent()).resolves.toBe('Dev ops');
    await expect(actor.getAttribute('title')).resolves.toMatch(/^staff:[0-9A-Z]{26}$/);
    await ops.context.close();
  }, 60_000);
});
