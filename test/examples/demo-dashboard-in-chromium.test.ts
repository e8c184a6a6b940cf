import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HeraldApplication } from 'herald';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '../../examples/demo/start-demo.js';
import { launchChromium, skipWithoutChromium as skip } from './demo-chromium.js';

const WAIT = { timeout: 30_000 };

/** Every polyline of a chart: its drawn points, as the page set them. */
function lines(page: Page, chart: string): Promise<string[]> {
  return page.evaluate(
    (name) =>
      [...document.querySelectorAll(`[data-chart="${name}"] polyline`)].map(
        (p) => p.getAttribute('points') ?? '',
      ),
    chart,
  );
}

const pointCount = (points: string): number => points.split(' ').filter(Boolean).length;

describe('the demo page dashboard in Chromium', { skip }, () => {
  let app: HeraldApplication;
  let browser: Browser;
  let page: Page;

  before(async () => {
    // Samples every 200 ms and a notification every 100 ms: lines move fast enough to watch.
    app = await startDemo({
      port: 0,
      host: '127.0.0.1',
      notificationMs: 100,
      dashboardMs: 200,
      log: false,
    });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${app.getUrl()}/`);
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('draws a line per series once samples arrive, and moves it with each sample', async () => {
    const drawn = (name: string, n: number) =>
      page.waitForFunction(
        ([chart, want]) =>
          [...document.querySelectorAll(`[data-chart="${chart}"] polyline`)].every(
            (p) => (p.getAttribute('points') ?? '').split(' ').filter(Boolean).length >= want,
          ),
        [name, n] as const,
        WAIT,
      );
    for (const chart of ['open', 'deliveries', 'resumes']) await drawn(chart, 3);
    const first = await lines(page, 'deliveries');
    await drawn('deliveries', pointCount(first[0]!) + 2);
    const later = await lines(page, 'deliveries');
    assert.notEqual(later[0], first[0], 'the line moved');
    assert.equal((await lines(page, 'resumes')).length, 2, 'replays and gaps, one line each');
  });

  it('shows the open streams, the delivery rate and the lag the server measures', async () => {
    // The page itself holds its streams (counter, notifications, secure feed, dashboard).
    await page.waitForFunction(
      () => Number(document.querySelector('[data-chart="open"] [data-value]')?.textContent) >= 3,
      undefined,
      WAIT,
    );
    // Notifications reach this page's subscribers: deliveries per second above 0, lag in ms.
    await page.waitForFunction(
      () =>
        Number.parseFloat(
          document.querySelector('[data-chart="deliveries"] [data-value]')?.textContent ?? '',
        ) > 0,
      undefined,
      WAIT,
    );
    await page.waitForFunction(
      () =>
        /^\d+(\.\d+)? ms$/.test(
          document.querySelector('[data-chart="lag"] [data-value]')?.textContent ?? '',
        ),
      undefined,
      WAIT,
    );
    assert.ok(pointCount((await lines(page, 'lag'))[0]!) >= 1, 'the lag line has points');
    // The same figures are on /metrics, for Prometheus.
    const text = await (await fetch(`${app.getUrl()}/metrics`)).text();
    assert.match(text, /^herald_hub_delivery_lag_seconds_count [1-9]/m);
    assert.match(text, /^herald_streams_open [3-9]/m);
  });
});
