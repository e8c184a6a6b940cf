import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { SseServer } from '#herald/connection/index.js';
import { createEventStreamParser, type ParsedEvent } from '#herald/wire/parse-event-stream.js';
import { createParser } from 'eventsource-parser';
import { from } from 'rxjs';
import { rawGet } from '../support/raw-client.js';
import { startServer, until } from '../support/http-server.js';
import { ResumingClient } from '../support/resuming-client.js';
import { type HubApp, startHubApp } from './support/hub-app.js';

const KB10 = 'k'.repeat(10_000);

/** Everything a raw response body dispatches, and the last event ID a browser would resume from. */
function parseBody(raw: string): { events: ParsedEvent[]; lastEventId: string } {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const events: ParsedEvent[] = [];
  const parser = createEventStreamParser(createParser, (e) => events.push(e));
  parser.push(Buffer.from(body, 'latin1'));
  return { events, lastEventId: parser.lastEventId };
}

/** A raw HTTP/1.0 stream (the body is the event stream as is) whose client never reads. */
function stalledClient(url: string, path: string): { socket: net.Socket; ended: Promise<string> } {
  const { port, hostname } = new URL(url);
  const socket = net.connect(Number(port), hostname, () =>
    socket.write(`GET ${path} HTTP/1.0\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`),
  );
  socket.pause();
  const chunks: Buffer[] = [];
  const ended = new Promise<string>((resolve) => {
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
  return { socket, ended };
}

async function publishAll(h: HubApp, topic: string, data: string[]): Promise<void> {
  // One synchronous burst: every publish is issued in the same event-loop turn.
  await Promise.all(data.map((d) => h.hub.publish(topic, { data: d })));
}

describe('lossless under pressure (in-memory hub)', () => {
  let h: HubApp | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('an event larger than maxPendingBytes reaches every subscriber alone, and later events follow', async () => {
    h = await startHubApp(
      { history: { maxEvents: 1000 } },
      { sse: { maxPendingBytes: 1024 * 1024 } },
    );
    const readers = Array.from({ length: 3 }, () => new ResumingClient(h!.stream('big')));
    await Promise.all(readers.map((r) => r.connect()));
    await until(() => h!.hub.stats().topics.big === 3, 'three subscribers');
    const large = 'L'.repeat(1_100_000);
    await h.hub.publish('big', { data: 'before' });
    await h.hub.publish('big', { data: large });
    await h.hub.publish('big', { data: 'after' });
    await Promise.all(readers.map((r) => r.received(3, 30_000)));
    for (const r of readers) {
      assert.deepEqual(
        r.events.map((e) => (e.data.length > 100 ? `${e.data.length} chars` : e.data)),
        ['before', '1100000 chars', 'after'],
      );
      assert.equal(r.connections, 1, 'never cut and reconnected');
      r.close();
    }
    assert.equal(h.hub.stats().droppedConnections, 0);
  });

  it('a 2 MiB burst in one turn: fast readers are not cut; a stalled reader is cut, resumes and gets every event', async () => {
    h = await startHubApp(
      { history: { maxEvents: 10_000 } },
      { sse: { maxPendingBytes: 1024 * 1024, maxStallMs: 300 } },
    );
    const fast = Array.from({ length: 20 }, () => new ResumingClient(h!.stream('burst')));
    await Promise.all(fast.map((r) => r.connect()));
    const stalled = stalledClient(h.url, '/stream?topics=burst');
    await until(() => h!.hub.stats().topics.burst === 21, 'every subscriber');
    const data = Array.from({ length: 210 }, (_, i) => `${i} ${KB10}`);
    await publishAll(h, 'burst', data);
    await Promise.all(fast.map((r) => r.received(data.length, 60_000)));
    // The stalled reader: the kernel's buffers may take the whole burst. Publishing goes on (20
    // events a turn) until what waits for it passes the cap and the stall limit cuts it.
    for (let i = 0; h.hub.stats().droppedConnections === 0 && i < 200; i++) {
      const more = Array.from({ length: 20 }, (_, k) => `${data.length + k} ${KB10}`);
      await publishAll(h, 'burst', more);
      data.push(...more);
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(
      () => h!.hub.stats().droppedConnections === 1,
      'the stalled reader to be cut',
      30_000,
    );
    await Promise.all(fast.map((r) => r.received(data.length, 60_000)));
    for (const r of fast) {
      assert.deepEqual(
        r.events.map((e) => e.data),
        data,
      );
      assert.equal(r.connections, 1, 'a reader that keeps up is not cut');
    }
    stalled.socket.resume();
    const before = parseBody(await stalled.ended);
    assert.ok(before.lastEventId !== '', 'it has a position, even if it read no event');
    assert.deepEqual(
      before.events.map((e) => e.data),
      data.slice(0, before.events.length),
    );
    const resumed = new ResumingClient(h.stream('burst'));
    resumed.lastId = before.lastEventId;
    await resumed.connect();
    await resumed.received(data.length - before.events.length, 30_000);
    assert.deepEqual(
      [...before.events, ...resumed.events].map((e) => e.data),
      data,
    );
    assert.equal(resumed.notices.length, 0, 'no gap');
    for (const r of [...fast, resumed]) r.close();
  });

  it('a subscriber that received nothing before a burst resumes from its opening position with every event', async () => {
    h = await startHubApp({ history: { maxEvents: 1000 } });
    await h.hub.publish('t', { data: 'old' });
    // Connects, is given the head as its position, and drops before any event arrives.
    const first = await rawGet(h.url, '/stream?topics=t', { version: '1.0' });
    await first.waitFor('\n\n');
    await until(() => h!.hub.stats().topics.t === 1, 'the subscriber');
    const position = parseBody(first.received()).lastEventId;
    assert.notEqual(position, '', 'the stream opens with an id');
    assert.equal(parseBody(first.received()).events.length, 0, 'and dispatches no event');
    first.socket.destroy();
    await until(() => h!.hub.stats().subscribers === 0, 'the subscriber to leave');

    const data = Array.from({ length: 150 }, (_, i) => `${i} ${KB10}`);
    await publishAll(h, 't', data);
    const resumed = new ResumingClient(h.stream('t'));
    resumed.lastId = position;
    await resumed.connect();
    await resumed.received(150, 30_000);
    assert.deepEqual(
      resumed.events.map((e) => e.data),
      data,
    );
    assert.equal(resumed.notices.length, 0);
    resumed.close();
  });

  it('an Observable that emits more than maxPendingBytes in one turn is delivered in full', async () => {
    const sse = new SseServer({ heartbeat: false, maxPendingBytes: 1024 * 1024 });
    const events = Array.from({ length: 150 }, (_, i) => ({ data: `${i} ${KB10}`, id: String(i) }));
    const server = await startServer((req, res) => {
      sse.open(req, res, from(events));
    });
    try {
      const client = await rawGet(server.url, '/', { version: '1.0' });
      await client.ended;
      const got = parseBody(client.received()).events;
      assert.deepEqual(
        got.map((e) => e.data),
        events.map((e) => e.data),
      );
      assert.equal(sse.stats().closed['slow-consumer'], 0);
      assert.equal(sse.stats().closed.complete, 1);
    } finally {
      await server.close();
    }
  });

  it('refuses an event with no data: no EventSource would ever dispatch it', async () => {
    h = await startHubApp();
    await assert.rejects(h.hub.publish('t', { type: 'x' } as never), {
      name: 'HeraldError',
      code: 'INVALID_EVENT',
    });
    assert.equal(h.hub.stats().published, 0);
  });
});
