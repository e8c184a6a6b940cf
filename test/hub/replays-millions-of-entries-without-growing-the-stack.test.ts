import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { ResumingClient } from '../support/resuming-client.js';
import { type HubApp, startHubApp } from './support/hub-app.js';

const ENTRIES = 2_000_000;
const EVERY = 1000;

describe('a deep replay', () => {
  let h: HubApp | undefined;
  after(() => h?.close());

  it(`scans ${ENTRIES.toLocaleString('en')} in-memory entries for one topic's events, in order, and the server keeps answering`, async () => {
    h = await startHubApp({ history: { maxEvents: ENTRIES + 10 } });
    // The client's topic is one entry in a thousand: its resume reads ~7,800 pages of others.
    const first = await h.hub.publish('mine', { data: 'start' });
    const mine: string[] = [];
    for (let i = 1; i <= ENTRIES; i++) {
      if (i % EVERY === 0) {
        mine.push(`m${i}`);
        await h.hub.publish('mine', { data: `m${i}` });
      } else await h.hub.publish('other', { data: 'x' });
    }
    const client = new ResumingClient(h.stream('mine'));
    client.lastId = first;
    await client.connect();
    // While the replay scans, the process still answers other requests (it yields between turns).
    const res = await fetch(`${h.url}/stream?topics=other`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    await client.received(mine.length, 120_000);
    assert.deepEqual(
      client.events.map((e) => e.data),
      mine,
    );
    assert.equal(client.notices.length, 0);
    await h.hub.publish('mine', { data: 'live' });
    await client.received(mine.length + 1, 30_000);
    assert.equal(client.events.at(-1)!.data, 'live');
    client.close();
  });

  it('a resume through 2,000,000 entries runs in a process with a 200 KB stack', () => {
    // Recursion per page would overflow this stack long before the end; a loop never grows it.
    const hub = resolve('dist/hub/index.js');
    const script = `
      const { Hub } = await import(${JSON.stringify(hub)});
      const hub = new Hub({ history: { maxEvents: ${ENTRIES + 10} } });
      const first = await hub.publish('mine', { data: 'start' });
      for (let i = 1; i <= ${ENTRIES}; i++) await hub.publish(i % ${EVERY} === 0 ? 'mine' : 'other', { data: 'x' });
      const got = [];
      await new Promise((done, fail) => {
        const sub = hub.subscribe('mine', { lastEventId: first }).subscribe({
          next: (e) => { got.push(e.data); if (got.length === ${ENTRIES / EVERY}) { sub.unsubscribe(); done(); } },
          error: fail,
        });
      });
      console.log(JSON.stringify({ n: got.length, last: got.at(-1) }));
      await hub.close();
    `;
    const r = spawnSync(
      process.execPath,
      ['--stack-size=200', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { n: ENTRIES / EVERY, last: 'x' });
  });
});
