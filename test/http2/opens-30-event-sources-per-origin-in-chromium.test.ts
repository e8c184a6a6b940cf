import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, skipWithoutChromium as skip } from '../examples/demo-chromium.js';
import { until } from '../support/http-server.js';
import { type H2App, startH2App } from './support/h2-app.js';

const STREAMS = 30;

/**
 * Opens STREAMS EventSources to one origin from one page, waits until the app has all it will
 * get, publishes one event, and reports how many sources received it and the page's protocol.
 */
async function eventSourcesThatGetAnEvent(browser: Browser, t: H2App, expectOpen: number) {
  const page = await browser.newPage();
  try {
    await page.goto(`${t.url}/page.html`);
    await page.evaluate((n) => {
      const w = window as unknown as { got: number };
      w.got = 0;
      for (let i = 0; i < n; i++) {
        const source = new EventSource('/news');
        source.addEventListener('message', () => {
          w.got++;
          source.close();
        });
      }
    }, STREAMS);
    await until(
      () => t.hub.stats().subscribers >= expectOpen,
      `${expectOpen} streams open`,
      15_000,
    );
    // Long enough for any further source the browser would open to arrive (none does on HTTP/1.1).
    await new Promise((r) => setTimeout(r, 1_000));
    const open = t.hub.stats().subscribers;
    await t.hub.publish('news', { data: 'hello' });
    await page.waitForFunction((n) => (window as unknown as { got: number }).got >= n, expectOpen);
    await new Promise((r) => setTimeout(r, 500));
    const got = await page.evaluate(() => (window as unknown as { got: number }).got);
    const protocol = await page.evaluate(
      () =>
        (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
          .nextHopProtocol,
    );
    return { open, got, protocol };
  } finally {
    await page.close();
  }
}

describe('Chromium: 30 EventSources to one origin', { skip }, () => {
  let browser: Browser;
  let h2: H2App;
  let h1: H2App;
  before(async () => {
    browser = await launchChromium(['--ignore-certificate-errors']);
    h2 = await startH2App();
    h1 = await startH2App({ http2: false });
  });
  after(async () => {
    await browser?.close();
    await h2?.close();
    await h1?.close();
  });

  it('over HTTP/2 every one opens and gets the event, on one connection', async () => {
    const r = await eventSourcesThatGetAnEvent(browser, h2, STREAMS);
    assert.deepEqual(r, { open: STREAMS, got: STREAMS, protocol: 'h2' });
  });

  it('over HTTP/1.1 only 6 do: the browser holds the rest back (six connections per origin)', async () => {
    const r = await eventSourcesThatGetAnEvent(browser, h1, 6);
    assert.deepEqual(r, { open: 6, got: 6, protocol: 'http/1.1' });
  });
});
