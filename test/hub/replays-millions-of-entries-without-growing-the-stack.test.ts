import assert from 'node:assert/strict';
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
});
