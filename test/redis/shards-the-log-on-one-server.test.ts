import { after, before, describe, it } from 'node:test';
import type { HeraldNode } from './support/cluster.js';
import { dropPrefix, testRedis, uniquePrefix } from './support/redis-server.js';
import { everyEventOnceInOrder, startProcesses } from './support/sharded-scenario.js';

const redis = await testRedis();

describe('a log sharded over 4 streams on one Redis server', { skip: redis.skip }, () => {
  const prefix = uniquePrefix('shards');
  let nodes: HeraldNode[] = [];
  before(async () => {
    nodes = await startProcesses(redis.url, prefix, { HERALD_REDIS_SHARDS: '4' });
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    await dropPrefix(redis.url, prefix);
    await redis.stop();
  });

  it('gives clients moved at random points every event of their topics once, in order', async () => {
    await everyEventOnceInOrder(nodes, 40);
  });
});
