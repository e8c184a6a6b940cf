import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectH2, openStream } from '../support/h2-client.js';
import { until } from '../support/http-server.js';
import { h2Request, type H2App, producers, startH2App } from './support/h2-app.js';

describe('HTTP/2 streams resume, cancel and count like HTTP/1.1 connections', () => {
  let t: H2App;
  before(async () => {
    t = await startH2App({ limits: { maxStreamsPerAddress: 30 } });
  });
  after(() => t.close());

  it('resumes after Last-Event-ID with every missed event, in order', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await t.hub.publish('news', { data: `old ${i}` }));
    const session = connectH2(t.url);
    try {
      const s = openStream(session, '/news', { headers: { 'last-event-id': ids[1]! } });
      await s.waitFor('data: old 4\n\n');
      assert.deepEqual(s.text().match(/data: old \d/g), [
        'data: old 2',
        'data: old 3',
        'data: old 4',
      ]);
      assert.ok(s.text().includes(`id: ${ids[2]}\n`), 'each replayed event carries its id');
      await t.hub.publish('news', { data: 'live' });
      await s.waitFor('data: live\n\n');
    } finally {
      session.destroy();
    }
  });

  it('cancels the producer of every reset stream in the same turn, and the session goes on', async () => {
    const session = connectH2(t.url);
    try {
      const before = { ...producers };
      const streams = Array.from({ length: 20 }, () => openStream(session, '/ticks'));
      await Promise.all(streams.map((s) => s.waitFor('data: 1\n\n')));
      assert.equal(producers.started - before.started, 20);
      for (const s of streams.slice(0, 10)) s.stream.close(0x8); // RST_STREAM CANCEL
      await until(() => producers.released - before.released === 10, 'ten producers released');
      // The other ten still stream, and the same session still takes new requests.
      const marks = streams.slice(10).map((s) => s.text().length);
      await until(
        () => streams.slice(10).every((s, i) => s.text().length > marks[i]! + 20),
        'the ten left go on',
      );
      const hello = await h2Request(session, { ':path': '/hello' });
      assert.equal(hello.status, 200);
      session.destroy();
      await until(
        () => producers.released - before.released === 20,
        'all released with the session',
      );
    } finally {
      session.destroy();
    }
  });

  it('counts streams, not connections, against maxStreamsPerAddress', async () => {
    const session = connectH2(t.url);
    try {
      const open = Array.from({ length: 30 }, () => openStream(session, '/ticks'));
      await Promise.all(open.map((s) => s.head));
      const refused = await h2Request(session, { ':path': '/ticks' });
      assert.equal(refused.status, 429);
      open[0]!.stream.close(0x8);
      let status = 429;
      for (let i = 0; i < 50 && status === 429; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const again = openStream(session, '/ticks');
        status = Number((await again.head)[':status']);
        if (status === 200) again.stream.close(0x8);
      }
      assert.equal(status, 200, 'a slot comes back when a stream is reset');
    } finally {
      session.destroy();
    }
  });
});
