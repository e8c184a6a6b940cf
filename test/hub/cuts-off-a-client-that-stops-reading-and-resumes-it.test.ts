import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { sleep, until } from '../support/http-server.js';
import { ResumingClient } from '../support/resuming-client.js';
import { type HubApp, startHubApp } from './support/hub-app.js';

const PAYLOAD = 'x'.repeat(1000);
const MAX_EVENTS = 40_000;

/**
 * A raw HTTP/1.0 stream (no chunked coding, so the body is the event stream as is) whose socket is
 * paused from the start: the client has stopped reading.
 */
function stalledClient(url: string, path: string): { socket: net.Socket; ended: Promise<Buffer> } {
  const { port, hostname } = new URL(url);
  const socket = net.connect(Number(port), hostname, () =>
    socket.write(`GET ${path} HTTP/1.0\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`),
  );
  socket.pause();
  const chunks: Buffer[] = [];
  const ended = new Promise<Buffer>((resolve) => {
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
  return { socket, ended };
}

/** The complete events in `body` (a trailing partial event is not dispatched, as in a browser). */
function eventsIn(body: string): EventSourceMessage[] {
  const out: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => out.push(e) });
  parser.feed(body);
  return out;
}

/**
 * Publishes 1 KB events to `feed` (under the cap each turn) until the stalled client is cut off,
 * then resumes it from the last complete event it read and checks that nothing was lost.
 */
async function stallCutAndResume(h: HubApp, waitMs: number): Promise<void> {
  const stalled = stalledClient(h.url, '/stream?topics=feed');
  await until(() => h.hub.stats().topics.feed === 1, 'the stalled subscriber');
  // A reader that keeps up, on the same topic, is never cut.
  const steady = new ResumingClient(h.stream('feed'));
  await steady.connect();
  await until(() => h.hub.stats().topics.feed === 2, 'the steady subscriber');

  const published: string[] = [];
  let publishedAtDrop = -1;
  while (published.length < MAX_EVENTS - 1000) {
    // 20 KiB a turn; the stalled subscriber stops taking live events at the cap.
    for (let i = 0; i < 20; i++) {
      const n = published.length;
      await h.hub.publish('feed', { data: `${n} ${PAYLOAD}` });
      published.push(`${n} ${PAYLOAD}`);
    }
    await new Promise((r) => setImmediate(r));
    if (h.hub.stats().droppedConnections > 0 && publishedAtDrop < 0) {
      publishedAtDrop = published.length;
      // Keep publishing a while after the cut: those events are the stalled client's to replay.
      for (let i = 0; i < 500; i++) {
        await h.hub.publish('feed', { data: `${published.length} ${PAYLOAD}` });
        published.push(`${published.length} ${PAYLOAD}`);
        if (i % 20 === 19) await new Promise((r) => setImmediate(r));
      }
      break;
    }
  }
  assert.ok(publishedAtDrop > 0, `the stalled client was cut off (${published.length} published)`);
  assert.equal(h.hub.stats().droppedConnections, 1, 'only the stalled one');
  await until(() => h.hub.stats().topics.feed === 1, 'the stalled subscriber removed');

  // "Resumes reading": takes what reached it before the cut, then reconnects with that last id.
  stalled.socket.resume();
  const raw = (await stalled.ended).toString('utf8');
  const head = raw.indexOf('\r\n\r\n');
  assert.match(raw.slice(0, head), /^HTTP\/1\.1 200/);
  const before = eventsIn(raw.slice(head + 4));
  assert.ok(before.length > 0, 'it read some events before stalling');
  assert.ok(before.length < published.length, 'and had not read them all');
  assert.deepEqual(
    before.map((e) => e.data),
    published.slice(0, before.length),
  );

  const resumed = new ResumingClient(h.stream('feed'));
  resumed.lastId = before.at(-1)!.id;
  await resumed.connect();
  await resumed.received(published.length - before.length, waitMs);
  await h.hub.publish('feed', { data: 'live' });
  published.push('live');
  await resumed.received(published.length - before.length, waitMs);
  await steady.received(published.length, waitMs);
  await sleep(20);
  resumed.close();
  steady.close();

  assert.deepEqual([...before.map((e) => e.data), ...resumed.events.map((e) => e.data)], published);
  assert.equal(resumed.notices.length, 0, 'no gap: the cap cost a reconnect, not an event');
  assert.deepEqual(
    steady.events.map((e) => e.data),
    published,
  );
  assert.equal(steady.connections, 1, 'the steady reader was never cut');
  const bytesAtDrop = publishedAtDrop * (PAYLOAD.length + 20);
  console.log(
    `cut after ~${publishedAtDrop} events (~${Math.round(bytesAtDrop / 1024)} KiB); ${before.length} read before the cut`,
  );
}

describe('a subscriber that stops reading', () => {
  let h: HubApp | undefined;
  afterEach(() => h?.close());

  it('is cut off once it sits past maxPendingBytes for maxStallMs, resumes from the last complete event it read, and ends with every event', async () => {
    h = await startHubApp(
      { history: { maxEvents: MAX_EVENTS } },
      { sse: { maxPendingBytes: 128 * 1024, maxStallMs: 300 } },
    );
    await stallCutAndResume(h, 60_000);
  });

  it('also resumes under a cap smaller than the 64 KiB a paced replay queues otherwise', async () => {
    h = await startHubApp(
      { history: { maxEvents: MAX_EVENTS } },
      { sse: { maxPendingBytes: 32 * 1024, maxStallMs: 300 } },
    );
    await stallCutAndResume(h, 60_000);
  });
});
