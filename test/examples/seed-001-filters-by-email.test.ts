import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import { startSeed } from './load-seed.js';

/** A real EventSource that records every message and resolves `opened` on connect. */
function client(url: string) {
  const es = new EventSource(url);
  const messages: string[] = [];
  const opened = new Promise<void>((resolve) => {
    es.onopen = () => resolve();
  });
  es.onmessage = (e) => messages.push(e.data);
  return { es, messages, opened };
}

const until = async (check: () => boolean, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('seed 001: verified events filtered per client e-mail, on Herald', () => {
  it('sends each POST /verify event only to the client whose ?email= matches', async () => {
    const { app, url } = await startSeed('seed-001-filter-by-email');
    const ada = client(`${url}/sse?email=ada@example.com`);
    const bob = client(`${url}/sse?email=bob@example.com`);
    const verify = async (email: string) => {
      const res = await fetch(`${url}/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      await res.body?.cancel();
      return res.status;
    };
    try {
      await Promise.all([ada.opened, bob.opened]);
      assert.equal(await verify('bob@example.com'), 202);
      await until(() => bob.messages.length === 1);
      assert.equal(await verify('ada@example.com'), 202);
      assert.equal(await verify('carol@example.com'), 202);
      assert.equal(await verify('ada@example.com'), 202);
      await until(() => ada.messages.length === 2);
      // Let any stray delivery arrive before asserting that none came.
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(bob.messages, ['{"isVerifiedFilter":true}']);
      assert.deepEqual(ada.messages, ['{"isVerifiedFilter":true}', '{"isVerifiedFilter":true}']);
    } finally {
      ada.es.close();
      bob.es.close();
      await app.close();
    }
  });

  it('answers 400 for a missing or malformed e-mail, before any stream byte', async () => {
    const { app, url } = await startSeed('seed-001-filter-by-email');
    try {
      for (const query of ['', '?email=nope']) {
        const res = await fetch(`${url}/sse${query}`);
        assert.equal(res.status, 400, query);
        assert.match(res.headers.get('content-type')!, /application\/json/);
        assert.deepEqual((await res.json()).message, ['email must be an email']);
      }
    } finally {
      await app.close();
    }
  });
});
