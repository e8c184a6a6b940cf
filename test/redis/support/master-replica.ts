import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { FailoverProxy } from './failover-proxy.js';
import { sleep } from './ground-truth.js';
import { RedisServer } from './redis-server.js';

async function replicationInfo(url: string, field: string): Promise<string | undefined> {
  const conn = new Redis(url);
  try {
    const info = await conn.info('replication');
    return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  } finally {
    conn.disconnect();
  }
}

/**
 * A master and its replica (redis-servers of the test's own), the replica's link running through a
 * proxy the test can hold, and one proxy per Herald process in front of the master, so that a
 * failover that loses acknowledged writes happens on purpose:
 * `caughtUp()`, then `replication.hold('all')` (the replica gets nothing more, the master still
 * acknowledges), optionally `proxies[i].hold('feeds')` (a process's feeds read nothing more), then
 * `failOver()`: the master is SIGKILLed, the replica promoted, the processes' links cut and sent to
 * it, as a failover's address change would.
 */
export class MasterReplica {
  readonly master: RedisServer;
  readonly replica: RedisServer;
  /** The replica's link to its master. */
  readonly replication: FailoverProxy;
  /** One per Herald process: `proxies[i].url` is its Redis. */
  readonly proxies: FailoverProxy[];

  private constructor(
    master: RedisServer,
    replica: RedisServer,
    replication: FailoverProxy,
    proxies: FailoverProxy[],
  ) {
    this.master = master;
    this.replica = replica;
    this.replication = replication;
    this.proxies = proxies;
  }

  /** `name` names the replica's snapshot file (in the temporary directory). */
  static async start(processes: number, name: string): Promise<MasterReplica> {
    const master = await RedisServer.start();
    const replication = await FailoverProxy.start(master.port);
    const file = `${name.replaceAll(':', '-')}.rdb`;
    const replica = await RedisServer.start({
      // The copy it loads from its master goes to a temporary file, not the working directory.
      args: [
        '--replicaof',
        '127.0.0.1',
        String(replication.port),
        '--dir',
        tmpdir(),
        '--dbfilename',
        file,
      ],
    });
    const proxies = await Promise.all(
      Array.from({ length: processes }, () => FailoverProxy.start(master.port)),
    );
    return new MasterReplica(master, replica, replication, proxies);
  }

  /** Waits until the replica holds everything the master has written. */
  async caughtUp(): Promise<void> {
    const end = Date.now() + 30_000;
    for (;;) {
      const [m, r, link] = await Promise.all([
        replicationInfo(this.master.url, 'master_repl_offset'),
        replicationInfo(this.replica.url, 'slave_repl_offset'),
        replicationInfo(this.replica.url, 'master_link_status'),
      ]);
      if (link === 'up' && m !== undefined && m === r) return;
      if (Date.now() > end)
        throw new Error(`replica did not catch up (${r} of ${m}, link ${link})`);
      await sleep(20);
    }
  }

  /** The master dies with what its replica lacks; the replica is promoted; the proxies follow. */
  async failOver(): Promise<void> {
    await this.master.kill();
    const conn = new Redis(this.replica.url);
    try {
      await conn.call('REPLICAOF', 'NO', 'ONE');
    } finally {
      conn.disconnect();
    }
    for (const p of this.proxies) p.failTo(this.replica.port);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.proxies, this.replication].map((p) => p.close()));
    await this.master.kill();
    await this.replica.kill();
  }
}
