import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HeraldApplication } from 'herald';
import type { Browser, Page } from 'playwright-core';
import { answerFor } from '../../examples/demo/chat.js';
import { startDemo } from '../../examples/demo/start-demo.js';
import { launchChromium, skipWithoutChromium as skip } from './demo-chromium.js';

/** Generous: the machine running the tests may be small and busy. */
const WAIT = { timeout: 30_000 };
const words = (page: Page) =>
  page.evaluate(
    () => (document.querySelector('[data-testid="answer"]')?.textContent ?? '').split(' ').length,
  );

describe('the demo chat panel in Chromium', { skip }, () => {
  let app: HeraldApplication;
  let browser: Browser;
  before(async () => {
    app = await startDemo({ port: 0, host: '127.0.0.1', wordMs: 40, log: false });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('continues an answer after a reload mid-answer, no word repeated or missing', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const resumes: Array<string | null> = [];
    page.on('request', (req) => {
      if (req.method() === 'GET' && /\/chat\/[^.]+$/.test(req.url())) {
        resumes.push(req.headers()['last-event-id'] ?? null);
      }
    });
    await page.goto(`${app.getUrl()}/chat.html`);
    const prompt = 'Why is the sky blue at noon?';
    await page.locator('input[name="prompt"]').fill(prompt);
    await page.locator('[data-testid="chat-form"] button[type="submit"]').click();
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="answer"]')?.textContent ?? '').split(' ').length >=
        8,
      undefined,
      WAIT,
    );
    const expected = answerFor(prompt);
    assert.ok((await words(page)) < expected.length, 'reloaded mid-answer');
    await page.reload();
    await page
      .getByTestId('chat-status')
      .filter({ hasText: /^done$/ })
      .waitFor(WAIT);
    assert.equal(await page.getByTestId('answer').textContent(), expected.join(' '));
    assert.ok(
      resumes.some((id) => id !== null && id !== ''),
      `the reload resumed with a Last-Event-ID: ${JSON.stringify(resumes)}`,
    );
    // A second tab follows the same answer from its start.
    const href = await page.getByTestId('chat-follow').getAttribute('href');
    const second = await browser.newPage();
    await second.goto(`${app.getUrl()}${href}`);
    await second
      .getByTestId('chat-status')
      .filter({ hasText: /^done$/ })
      .waitFor(WAIT);
    assert.equal(await second.getByTestId('answer').textContent(), expected.join(' '));
    assert.deepEqual(errors, []);
    await second.close();
    await page.close();
  });

  it('cancels an answer with the cancel button', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.getUrl()}/chat.html`);
    await page.locator('input[name="prompt"]').fill('Tell me a long story');
    await page.locator('[data-testid="chat-form"] button[type="submit"]').click();
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="answer"]')?.textContent ?? '').split(' ').length >=
        3,
      undefined,
      WAIT,
    );
    await page.getByTestId('chat-cancel').click();
    await page
      .getByTestId('chat-status')
      .filter({ hasText: /^cancelled$/ })
      .waitFor(WAIT);
    assert.ok((await words(page)) < answerFor('Tell me a long story').length);
    await page.close();
  });
});
