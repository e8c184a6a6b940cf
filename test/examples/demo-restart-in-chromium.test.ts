import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HeraldApplication } from 'herald';
import type { Browser, Page } from 'playwright-core';
import { NotificationPublisher } from '../../examples/demo/notifications.js';
import { startDemo } from '../../examples/demo/start-demo.js';
import { launchChromium, skipWithoutChromium as skip } from './demo-chromium.js';

/** Generous: the machine running the tests may be small and busy. */
const WAIT = { timeout: 30_000 };
const STREAMS = ['notifications', 'secure'] as const;
type BadgeLog = Record<(typeof STREAMS)[number], string[]>;

const badge = (page: Page, name: string) => page.locator(`[data-stream="${name}"]`).textContent();

describe('the demo page across a server restart', { skip }, () => {
  // Short retry: the browser reconnects half a second after the server goes (seed 003's is 30 s).
  const options = { host: '127.0.0.1', retryMs: 500, log: false };
  let app: HeraldApplication | undefined;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  before(async () => {
    app = await startDemo({ ...options, port: 0, notificationMs: 100 });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${app.getUrl()}/`);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it("says reconnecting while the server is down, then shows the new hub's events", async () => {
    // Several notifications first, so the page's last `n` is well past the new server's first.
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="received"]')?.textContent) >= 5,
      undefined,
      WAIT,
    );
    await page.evaluate((names) => {
      const log: Record<string, string[]> = {};
      for (const name of names) {
        const el = document.querySelector(`[data-stream="${name}"]`)!;
        log[name] = [el.textContent ?? ''];
        new MutationObserver(() => log[name]!.push(el.textContent ?? '')).observe(el, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      }
      (window as unknown as { badgeLog: typeof log }).badgeLog = log;
    }, STREAMS);

    // Restart: the same port, a new in-memory hub (its ids and its `n` start again).
    const { port } = new URL(app!.getUrl());
    await app!.close();
    app = undefined;
    for (const name of STREAMS) {
      await page.waitForFunction(
        (n) => document.querySelector(`[data-stream="${n}"]`)?.textContent === 'reconnecting…',
        name,
        WAIT,
      );
    }
    app = await startDemo({ ...options, port: Number(port), notificationMs: 3_600_000 });
    for (const name of STREAMS) {
      await page.waitForFunction(
        (n) => document.querySelector(`[data-stream="${n}"]`)?.textContent === 'open',
        name,
        WAIT,
      );
    }
    // The old Last-Event-ID is unknown to the new hub: it says so, and the page shows it.
    await page
      .getByTestId('notice')
      .filter({ hasText: /history/i })
      .waitFor(WAIT);
    await page
      .getByTestId('secure-notice')
      .filter({ hasText: /history/i })
      .waitFor(WAIT);

    const id = await app.get(NotificationPublisher).publish();
    assert.match(id, /./);
    for (const feed of ['feed', 'secure-feed']) {
      await page
        .locator(`[data-testid="${feed}"] li .n`, { hasText: /^#1$/ })
        .waitFor({ ...WAIT, state: 'attached' });
      // What the old server sent is cleared: its numbers no longer follow on.
      assert.equal(await page.locator(`[data-testid="${feed}"] li`).count(), 1);
    }
    const log = await page.evaluate(() => (window as unknown as { badgeLog: BadgeLog }).badgeLog);
    for (const name of STREAMS) {
      const seen = log[name].filter((s, i, all) => s !== all[i - 1]);
      const from = seen.indexOf('reconnecting…');
      assert.ok(from >= 0 && seen.indexOf('open', from) > from, `${name}: ${seen.join(' → ')}`);
      assert.equal(await badge(page, name), 'open');
    }
    assert.deepEqual(errors, []);
  });
});
