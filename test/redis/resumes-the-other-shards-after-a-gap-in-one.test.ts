import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { MessageEvent } from 'herald';
import { Hub } from 'herald/hub';
import { RedisBroker } from 'herald/redis';
import { dropPrefix, testRedis, uniquePrefix } from './support/redis-server.js';

const redis = await testRedis();

/** Waits until `check` holds (polling), or fails naming `what`. */
async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a client of two shards whose position in one was trimmed away', {
  skip: redis.skip,
}, () => {
  after(() => redis.stop());

  it('is told of the gap, jumps ahead in that shard only, and gets every later event of the other', async () => {
    const prefix = uniquePrefix('partial-gap');
    // MAXLEN ~ trims whole nodes of 100 entries: 400 entries on one shard trim the client's id.
    const broker = new RedisBroker({ url: redis.url, prefix, shards: 2, maxLen: 10 });
    const hub = new Hub({ broker });
    try {
      await hub.ready;
      // Two topics on different shards (an id is `<shard>.<stream id>`).
      const byShard = new Map<string, string>();
      for (let i = 0; byShard.size < 2; i++) {
        const topic = `t${i}`;
        const id = await hub.publish(topic, { data: 'probe' });
        if (!byShard.has(id.split('.')[0]!)) byShard.set(id.split('.')[0]!, topic);
      }
      const [busy, quiet] = [byShard.get('0')!, byShard.get('1')!];

      // A client of both shards that had `busy-0` and `quiet-0`: its position is the vector of
      // the two ids (`<shard>.<id>,<shard>.<id>`, what its SSE ids would say).
      const position = [
        await hub.publish(busy, { data: 'busy-0' }),
        await hub.publish(quiet, { data: 'quiet-0' }),
      ].join(',');
      assert.match(position, /^0\..+,1\..+$/, 'a vector position over both shards');

      for (let i = 1; i <= 400; i++) await hub.publish(busy, { data: `busy-${i}` });
      for (let i = 1; i <= 3; i++) await hub.publish(quiet, { data: `quiet-${i}` });
      const resumed: MessageEvent<unknown>[] = [];
      const again = hub
        .subscribe([busy, quiet], { lastEventId: position })
        .subscribe({ next: (e) => resumed.push(e) });
      await hub.publish(busy, { data: 'busy-later' });
      await hub.publish(quiet, { data: 'quiet-later' });
      await until(() => resumed.some((e) => e.data === 'quiet-later'), 'the resumed client');
      again.unsubscribe();

      assert.equal(resumed[0]!.type, 'herald:gap');
      assert.deepEqual((resumed[0]!.data as { lastEventId: string }).lastEventId, position);
      // The quiet shard lost nothing: its events after the position all come, in order. The busy
      // shard's position is gone: it resumes at its head (then live).
      assert.deepEqual(
        resumed.slice(1).map((e) => e.data),
        ['quiet-1', 'quiet-2', 'quiet-3', 'busy-later', 'quiet-later'],
      );
      // The notice's id keeps the quiet shard where the client was.
      const noticeId = String(resumed[0]!.id);
      assert.equal(noticeId.split(',')[1], position.split(',')[1]);
    } finally {
      await hub.close();
      await dropPrefix(redis.url, prefix);
    }
  });
});
