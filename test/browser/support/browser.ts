import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { projectRoot } from '../../../src/platform/paths.js';

const SCREENSHOTS = join(projectRoot, 'test-artifacts', 'screenshots');

/** The Debian Chromium, headless, with nothing that phones home. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });

export const PHONE = { width: 375, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

/** A fresh context per person: its own cookies, like a separate browser (and its own time zone). */
export const newPerson = async (
  browser: Browser,
  baseURL: string,
  viewport = DESKTOP,
  where: { timezoneId?: string } = {},
) => {
  const context: BrowserContext = await browser.newContext({
    baseURL,
    viewport,
    acceptDownloads: true,
    ...where,
  });
  const page = await context.newPage();
  return { context, page };
};

export const screenshot = async (page: Page, name: string) => {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
};

/** One part of a page, e.g. a section, as it looks on screen. */
export const screenshotOf = async (locator: Locator, name: string) => {
  await mkdir(SCREENSHOTS, { recursive: true });
  await locator.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
};

/** Nothing wider than the window: on a 375 px phone the page must not scroll sideways. */
export const expectNoHorizontalOverflow = async (page: Page) => {
  const measured = (await page.evaluate(`(() => {
    const width = window.innerWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ').join('.') : ''));
    return { scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5) };
  })()`)) as { scrollWidth: number; width: number; wide: string[] };
  expect({ fits: measured.scrollWidth <= measured.width, tooWide: measured.wide }).toEqual({
    fits: true,
    tooWide: [],
  });
};

/** Signs in through the sign-in page, as staff do. */
export const signIn = async (page: Page, who: { email: string; password: string }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
};
