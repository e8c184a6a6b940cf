import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HeraldApplication } from 'herald';
import type { Browser, Page } from 'playwright-core';
import { selfSignedCertificate } from '../../examples/demo/self-signed.js';
import { startDemo } from '../../examples/demo/start-demo.js';
import { launchChromium, skipWithoutChromium as skip } from './demo-chromium.js';

describe('the demo over HTTPS with HTTP/2 (HERALD_TLS=1), in Chromium', { skip }, () => {
  let app: HeraldApplication;
  let browser: Browser;
  let page: Page;
  before(async () => {
    app = await startDemo({
      port: 0,
      host: '127.0.0.1',
      tickMs: 100,
      notificationMs: 100,
      log: false,
      tls: await selfSignedCertificate(),
    });
    browser = await launchChromium(['--ignore-certificate-errors']);
    page = await browser.newPage();
    await page.goto(`${app.getUrl()}/`);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('serves the page over h2 and says so, and its streams tick', async () => {
    assert.match(app.getUrl(), /^https:/);
    assert.equal(await page.getByTestId('protocol').textContent(), 'h2');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="count"]')?.textContent) >= 2,
    );
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="feed"] li').length >= 2,
    );
  });
});
