import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Where the tests expect Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** `describe`'s `skip`: false when Chromium is there, else why the page tests do not run. */
export const skipWithoutChromium = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`;

/**
 * Headless Chromium with nothing of its own on the network. `extraArgs` adds flags, e.g.
 * `--ignore-certificate-errors` for an app serving a self-signed certificate.
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...extraArgs,
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}
