import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawGet } from '../../support/raw-client.js';
import { type RunningServer, type Runtime, startServer } from './runtime-server.js';
import { openStream, type Received, type SseStream, until } from './sse-stream.js';

interface Stats {
  live: number;
  cancelled: number;
  flooding: number;
  hub: { topics: Record<string, number>; droppedConnections: number; delivered: number };
}

/** What `/publish` sends as event `i` (three lines, the last `size` bytes long). */
const dataOf = (i: number, size = 0): string => `event ${i}\nsecond line ${i}\n${'p'.repeat(size)}`;

/**
 * The same behaviours of `herald/fetch` on one runtime, through a Hono app and through a plain
 * `Request -> Response` handler, each server in its own process driven over real sockets.
 */
export function fetchSuite(runtime: Runtime): void {
  for (const flavor of ['hono', 'plain'] as const) {
    describe(`herald/fetch on ${runtime} (${flavor === 'hono' ? 'Hono' : 'plain handler'})`, () => {
      let server: RunningServer;
      let idle: SseStream | undefined;
      let idleSince = 0;
      const stats = async (): Promise<Stats> =>
        (await (await fetch(`${server.url}/stats`)).json()) as Stats;
      const publish = async (topic: string, n: number, size = 0, batch = 0): Promise<string[]> => {
        const query = `topic=${topic}&n=${n}&size=${size}&batch=${batch}`;
        const res = await fetch(`${server.url}/publish?${query}`, {
          method: 'POST',
        });
        return ((await res.json()) as { ids: string[] }).ids;
      };
      const subscribers = (topic: string, n: number) =>
        until(stats, (s) => s.hub.topics[topic] === n);
      const expected = (ids: string[], from = 0, size = 0): Received[] =>
        ids.slice(from).map((id, i) => ({ id, event: undefined, data: dataOf(from + i, size) }));

      before(async () => {
        server = await startServer(runtime, './fetch-server.js', { FLAVOR: flavor });
        // One idle stream per runtime, open through the whole suite, on the default heartbeat.
        if (flavor === 'plain') {
          idle = await openStream(`${server.url}/hub?topic=idle&heartbeat=default`);
          idleSince = Date.now();
        }
      });
      after(async () => {
        idle?.close();
        await server?.stop();
      });

      it('gives 100 clients every event exactly, multi-line data included', async () => {
        const clients = await Promise.all(
          Array.from({ length: 100 }, () => openStream(`${server.url}/hub?topic=all`)),
        );
        for (const c of clients) assert.equal(c.headers['content-type'], 'text/event-stream');
        await subscribers('all', 100);
        const ids = [...(await publish('all', 30, 40)), ...(await publish('all', 30, 40))];
        const want = expected(ids, 0, 40).map((e, i) => ({ ...e, data: dataOf(i % 30, 40) }));
        for (const c of clients) assert.deepEqual(await c.take(60), want);
        await new Promise((r) => setTimeout(r, 100));
        for (const c of clients) assert.equal(c.events.length, 60, 'no event twice');
        for (const c of clients) c.close();
      });

      it('resumes after a Last-Event-ID header or ?lastEventId=', async () => {
        const ids = await publish('resume', 10);
        const byHeader = await openStream(`${server.url}/hub?topic=resume`, {
          'last-event-id': ids[3]!,
        });
        const byQuery = await openStream(`${server.url}/hub?topic=resume&lastEventId=${ids[6]}`);
        assert.deepEqual(await byHeader.take(6), expected(ids, 4));
        assert.deepEqual(await byQuery.take(3), expected(ids, 7));
        const more = await publish('resume', 1);
        assert.deepEqual((await byHeader.take(7))[6]?.id, more[0]);
        byHeader.close();
        byQuery.close();
      });

      it('cancels the producer when the client leaves', async () => {
        const before = await stats();
        const stream = await openStream(`${server.url}/ticks`);
        await stream.take(2);
        assert.equal((await stats()).live, before.live + 1);
        stream.close();
        const now = await until(stats, (s) => s.cancelled === before.cancelled + 1, 5_000);
        assert.equal(now.live, before.live);
      });

      it('answers refusals before the stream with their status', async () => {
        const refused = await fetch(`${server.url}/hub?topic=private`);
        assert.equal(refused.status, 403);
        assert.equal(((await refused.json()) as { statusCode: number }).statusCode, 403);
        const first = await openStream(`${server.url}/full`);
        assert.equal(first.status, 200);
        const second = await fetch(`${server.url}/full`);
        assert.equal(second.status, 503);
        assert.equal(second.headers.get('retry-after'), '5');
        await second.arrayBuffer();
        first.close();
      });

      it('cuts a stalled reader of a push source at maxPendingBytes', async () => {
        const client = await rawGet(server.url, '/flood?max=65536', { read: false });
        await until(stats, (s) => s.flooding === 1, 10_000);
        // Kernel buffers fill first; then the queue passes 4 x the cap and the stream is cut.
        await until(stats, (s) => s.flooding === 0, 20_000);
        client.socket.resume();
        await Promise.race([
          client.ended,
          new Promise((_, no) => setTimeout(() => no(new Error('socket not closed')), 10_000)),
        ]);
      });

      it('stops a stalled hub subscriber at the cap and loses nothing', async () => {
        const [start] = await publish('stall', 1);
        const stalled = await openStream(`${server.url}/hub?topic=stall&max=16384`, {
          'last-event-id': start!,
        });
        stalled.pause();
        await subscribers('stall', 1);
        const before = (await stats()).hub.delivered;
        // 20 MB at a steady pace, past what the kernel's socket buffers hold.
        const ids: string[] = [];
        for (let i = 0; i < 40; i++) ids.push(...(await publish('stall', 500, 1000, 20)));
        const taken = (await stats()).hub.delivered - before;
        assert.ok(taken < ids.length * 0.9, `it stopped taking events (${taken} taken)`);
        // Reading again, it catches up from the log; or, if the stall limit cut it, it resumes
        // from the last event it read. Either way every event arrives once, in order.
        stalled.resume();
        const cut = await Promise.race([
          stalled.take(ids.length).then(() => false),
          stalled.ended.then(() => true),
        ]);
        const got = [...stalled.events];
        if (cut) {
          const rest = await openStream(`${server.url}/hub?topic=stall`, {
            'last-event-id': got.at(-1)?.id ?? start!,
          });
          got.push(...(await rest.take(ids.length - got.length)));
          rest.close();
        }
        assert.deepEqual(
          got.map((e) => e.id),
          ids,
        );
        assert.equal(got.at(-1)?.data, dataOf(499, 1000));
        stalled.close();
      });

      if (flavor === 'plain') {
        it('keeps an idle stream open past 12 s on the default heartbeat', async () => {
          await new Promise((r) => setTimeout(r, Math.max(0, idleSince + 12_500 - Date.now())));
          const [id] = await publish('idle', 1);
          const got = await idle!.take(1, 10_000);
          assert.equal(got[0]?.id, id, `stream open after ${Date.now() - idleSince} ms`);
          // Bun closes a connection idle for 10 s: there the default heartbeat must have beaten
          // (the first comment opens every stream).
          if (runtime === 'bun') assert.ok(idle!.comments.length >= 3, 'heartbeats arrived');
        });
      }
    });
  }
}
