import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HeraldApplication } from 'herald';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '../../examples/demo/start-demo.js';
import { launchChromium, skipWithoutChromium as skip } from './demo-chromium.js';

const WAIT = { timeout: 30_000 };

/** Every badge and verify time that sticks out of its row, its card or the viewport. */
function overflowing(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of document.querySelectorAll('.state, [data-testid="verified"] .n')) {
      const box = el.getBoundingClientRect();
      const row = el.parentElement!.getBoundingClientRect();
      const card = el.closest('.card')!.getBoundingClientRect();
      const name = `${el.className} "${el.textContent}"`;
      if (el.scrollWidth > el.clientWidth) out.push(`${name} clips its text`);
      if (box.right > row.right + 0.5 || box.left < row.left - 0.5)
        out.push(`${name} leaves its row`);
      if (box.right > card.right || box.left < card.left) out.push(`${name} leaves its card`);
      if (box.right > width || box.left < 0) out.push(`${name} leaves the viewport`);
    }
    if (document.documentElement.scrollWidth > width) out.push('the page scrolls sideways');
    return out;
  });
}

describe('the demo page on a 390 px wide phone', { skip }, () => {
  let app: HeraldApplication;
  let browser: Browser;
  let page: Page;
  before(async () => {
    app = await startDemo({ port: 0, host: '127.0.0.1', notificationMs: 100, log: false });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${app.getUrl()}/`);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('keeps every badge and verify time inside its box and the screen', async () => {
    // A long e-mail beside the time, a task with its badge, and notifications in both feeds.
    await page
      .locator('input[name="email"]')
      .fill('ada.lovelace.countess@analytical-engine.example.com');
    await page.locator('[data-testid="verify-form"] button[type="submit"]').click();
    await page.locator('[data-testid="verified"] li .n').waitFor(WAIT);
    await page.getByTestId('start-task').click();
    await page.locator('[data-testid="task-list"] li .state.open').waitFor(WAIT);
    await page.locator('[data-testid="secure-feed"] li').first().waitFor(WAIT);
    await page.waitForFunction(
      () => document.querySelector('[data-stream="notifications"]')?.textContent === 'open',
      undefined,
      WAIT,
    );
    assert.deepEqual(await overflowing(page), []);
    // The longest state a badge shows fits too.
    await page.evaluate(() => {
      for (const el of document.querySelectorAll('.state')) el.textContent = 'reconnecting…';
    });
    assert.deepEqual(await overflowing(page), []);
  });
});
