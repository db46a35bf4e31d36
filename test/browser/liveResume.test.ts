import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPerson, screenshot, signIn } from './support/browser.js';
import { startWebPlatform, type WebPlatform } from './support/platform.js';

let platform: WebPlatform;
let browser: Browser;

beforeAll(async () => {
  [platform, browser] = await Promise.all([startWebPlatform(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

/** Every order event the store holds, as the checkpoints the live feed names them by. */
const storedCheckpoints = async () =>
  (
    await platform.db.pool.query<{ key: string }>(
      `SELECT transaction_id::text || ':' || global_position AS key FROM events
        WHERE category = 'order' ORDER BY transaction_id, global_position`,
    )
  ).rows.map((r) => r.key);

/** The checkpoints the console's "Live changes" list shows, oldest first, duplicates kept. */
const shownCheckpoints = async (page: Page) =>
  (
    (await page.evaluate(
      `[...document.querySelectorAll('.recent li')].map((li) => li.getAttribute('data-checkpoint'))`,
    )) as string[]
  ).reverse();

/** Waits until the console has shown every stored order event, then compares the two exactly. */
const expectEveryChangeOnce = async (page: Page) => {
  const stored = await storedCheckpoints();
  const deadline = Date.now() + 10_000;
  let shown = await shownCheckpoints(page);
  while (shown.length < stored.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    shown = await shownCheckpoints(page);
  }
  expect(shown).toEqual(stored);
};

const liveState = (page: Page) => page.locator('.live').getAttribute('data-live-state');

describe('the console’s live connection', () => {
  it('resumes from its last checkpoint after a drop: nothing missed, nothing shown twice', async () => {
    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.ops);
    await page.locator('.live[data-live-state="live"]').waitFor();
    await page.evaluate('window.__sameDocument = true');

    const first = await platform.intake();
    await page.locator(`li.order[data-order-id="${first}"][data-status="validated"]`).waitFor();
    await expectEveryChangeOnce(page);

    // 1. The network goes away: the console says so, and orders keep arriving meanwhile.
    await context.setOffline(true);
    await page.locator('.live[data-live-state="reconnecting"]').waitFor({ timeout: 15_000 });
    await expect(page.locator('.live').textContent()).resolves.toMatch(/Reconnecting/);
    await screenshot(page, '16-console-reconnecting');
    const missed = [await platform.intake(), await platform.intake()];
    await platform.composition.platform.drain();
    expect(await liveState(page)).not.toBe('live');

    // Back online: it reconnects at once, replays what it missed, and shows each change once.
    await context.setOffline(false);
    await page.locator('.live[data-live-state="live"]').waitFor({ timeout: 15_000 });
    for (const id of missed)
      await page.locator(`li.order[data-order-id="${id}"][data-status="validated"]`).waitFor();
    await expectEveryChangeOnce(page);

    // 2. The server drops the socket while a burst of changes is being written.
    const burst = Promise.all([platform.intake(), platform.intake(), platform.intake()]);
    for (const socket of platform.composition.http.websocketServer.clients) socket.terminate();
    const during = await burst;
    await page.locator('.live[data-live-state="live"]').waitFor({ timeout: 15_000 });
    for (const id of during)
      await page.locator(`li.order[data-order-id="${id}"][data-status="validated"]`).waitFor();
    await expectEveryChangeOnce(page);

    // All of it without a reload.
    await expect(page.evaluate('window.__sameDocument')).resolves.toBe(true);
    await expect(page.locator('[data-count="all"]').textContent()).resolves.toBe('6');
    await screenshot(page, '17-console-resumed');
    await context.close();
  }, 90_000);

  it('drops changes it has already shown when a resumed feed sends them again', async () => {
    const { page, context } = await newPerson(browser, platform.url);
    const [oldest] = (
      await platform.db.pool.query<{ transactionId: string; globalPosition: number }>(
        `SELECT transaction_id::text AS "transactionId", global_position::int AS "globalPosition" FROM events
          WHERE category = 'order' ORDER BY transaction_id, global_position LIMIT 1`,
      )
    ).rows;
    // Between page and server: from the second connection on, the resume point is rewound to the
    // store's first order event, so the server replays changes this page has already shown.
    let connections = 0;
    const replayed: string[] = [];
    await page.routeWebSocket(/\/api\/live$/, (ws) => {
      const server = ws.connectToServer();
      const connection = ++connections;
      ws.onMessage((message) => {
        const parsed = JSON.parse(String(message));
        if (connection > 1 && parsed.type === 'subscribe') parsed.after = oldest;
        server.send(JSON.stringify(parsed));
      });
      server.onMessage((message) => {
        const parsed = JSON.parse(String(message));
        if (connection > 1 && parsed.type === 'order-changed')
          replayed.push(`${parsed.checkpoint.transactionId}:${parsed.checkpoint.globalPosition}`);
        ws.send(message);
      });
    });
    await signIn(page, platform.staff.ops);
    await page.locator('.live[data-live-state="live"]').waitFor();

    const before = await platform.intake();
    await page.locator(`li.order[data-order-id="${before}"][data-status="validated"]`).waitFor();
    for (const socket of platform.composition.http.websocketServer.clients) socket.terminate();
    await page.locator('.live[data-live-state="live"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => connections).toBe(2);
    const after = await platform.intake();
    await page.locator(`li.order[data-order-id="${after}"][data-status="validated"]`).waitFor();

    const checkpointsOf = async (ids: string[]) =>
      (
        await platform.db.pool.query<{ key: string }>(
          `SELECT transaction_id::text || ':' || global_position AS key FROM events
            WHERE stream_name = ANY ($1) ORDER BY transaction_id, global_position`,
          [ids.map((id) => `order-${id}`)],
        )
      ).rows.map((r) => r.key);
    // The list also shows, read from the server when the page opened, the changes made before it:
    // every order change in the store, each once.
    const ours = await storedCheckpoints();
    await expect.poll(() => shownCheckpoints(page)).toEqual(ours);
    // The server did send the first order's changes again; the page showed none of them twice.
    expect(replayed).toEqual(expect.arrayContaining(await checkpointsOf([before])));
    expect(await shownCheckpoints(page)).toEqual(ours);
    await context.close();
  }, 60_000);
});
