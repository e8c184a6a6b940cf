import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HeraldApplication } from 'herald';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '../../examples/demo/start-demo.js';
import { launchChromium, skipWithoutChromium as skip } from './demo-chromium.js';

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();

describe('the demo page in Chromium', { skip }, () => {
  let app: HeraldApplication;
  let browser: Browser;
  let page: Page;
  before(async () => {
    // Fast intervals so every panel shows activity within a second.
    app = await startDemo({
      port: 0,
      host: '127.0.0.1',
      tickMs: 100,
      notificationMs: 100,
      taskStepMs: 50,
      log: false,
    });
    browser = await launchChromium();
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // "Drop connection" stays away 2 s: long enough to see it closed on a busy machine.
    await page.goto(`${app.getUrl()}/?drop=2000`);
    assert.deepEqual(errors, []);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it("ticks the /events counter and shows the stream's state as open", async () => {
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="count"]')?.textContent) >= 1,
    );
    const first = Number(await text(page, 'count'));
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="count"]')?.textContent) > n,
      first,
    );
    assert.equal(await page.locator('[data-stream="events"]').textContent(), 'open');
  });

  it("receives an alert through addEventListener('alert'), styled apart", async () => {
    const alert = page.locator('[data-testid="feed"] li.alert').first();
    await alert.waitFor({ timeout: 30_000 });
    assert.match((await alert.textContent())!, /alert.*Error rate/);
    // Messages and updates arrive too, without the alert style.
    assert.ok((await page.locator('[data-testid="feed"] li.update').count()) > 0);
    assert.equal(await page.locator('[data-stream="notifications"]').textContent(), 'open');
  });

  it('streams /secure/notifications to the herald/client panel, which sends the bearer header', async () => {
    const row = page.locator('[data-testid="secure-feed"] li').first();
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.textContent())!, /(message|update|alert).*#\d+/);
    assert.equal(await page.locator('[data-stream="secure"]').textContent(), 'open');
    // The header is what lets it in: the same route without it is refused.
    assert.equal((await fetch(`${app.getUrl()}/secure/notifications`)).status, 401);
  });

  it('runs a task to 100 % and closes its stream', async () => {
    await page.getByTestId('start-task').click();
    const task = page.locator('[data-testid="task-list"] li').first();
    await task.locator('.pct', { hasText: '100%' }).waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="task-list"] li.done .state')?.textContent ===
        'closed',
    );
  });

  it('drops the notification stream and resumes it with nothing missed', async () => {
    await page.getByTestId('drop').click();
    assert.equal(await page.locator('[data-stream="notifications"]').textContent(), 'closed');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="replayed"]')?.textContent) > 0,
      undefined,
      { timeout: 30_000 },
    );
    const received = Number(await text(page, 'received'));
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="received"]')?.textContent) > n + 3,
      received,
    );
    assert.equal(await text(page, 'missed'), '0');
    assert.equal(await page.locator('[data-stream="notifications"]').textContent(), 'open');
  });

  it('streams a verification only to the page watching that e-mail', async () => {
    await page.locator('input[name="email"]').fill('ada@example.com');
    await page.locator('[data-testid="verify-form"] button[type="submit"]').click();
    const row = page.locator('[data-testid="verified"] li').first();
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.textContent())!, /verified.*ada@example\.com/);
    const other = await fetch(`${app.getUrl()}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bob@example.com' }),
    });
    assert.equal(other.status, 202);
    await page.waitForTimeout(200);
    assert.equal(await page.locator('[data-testid="verified"] li').count(), 1);
  });

  it("names the page's own origin in the footer's curl line", async () => {
    assert.equal(await text(page, 'curl'), `curl -N ${new URL(app.getUrl()).origin}/events`);
  });

  it('shows the hub stats', async () => {
    // Two subscribers: the EventSource feed and the herald/client secure feed. The panel polls once
    // a second, so a poll may still show the EventSource feed away from the drop test: wait.
    await page
      .waitForFunction(
        () =>
          /on notifications2/.test(
            document.querySelector('[data-testid="stats"]')?.textContent ?? '',
          ),
        undefined,
        { timeout: 30_000 },
      )
      .catch(() => undefined);
    const stats = (await text(page, 'stats'))!;
    assert.match(stats, /published/);
    assert.match(stats, /on notifications2/);
  });
});
