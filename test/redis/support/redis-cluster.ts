import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, pings } from './redis-server.js';

/** Why the cluster tests cannot run here, or false. */
export function clusterSkip(): string | false {
  const ok = (bin: string) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0;
  return ok('redis-server') && ok('redis-cli')
    ? false
    : 'no redis-server and redis-cli installed: the Redis Cluster tests start their own';
}

/** One node of a test cluster. */
export interface ClusterNodeProcess {
  port: number;
  child: ChildProcess;
}

/**
 * A Redis Cluster of 3 masters and 3 replicas on free loopback ports, each node in its own temp
 * dir, persisting nothing. `--cluster-node-timeout 2000` so a killed master fails over in seconds.
 */
export class TestCluster {
  readonly nodes: ClusterNodeProcess[];
  #dir: string;

  private constructor(nodes: ClusterNodeProcess[], dir: string) {
    this.nodes = nodes;
    this.#dir = dir;
  }

  /** `host:port,...` as HERALD_REDIS_CLUSTER takes it. */
  get env(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  static async start(): Promise<TestCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'herald-cluster-'));
    const nodes: ClusterNodeProcess[] = [];
    for (let i = 0; i < 6; i++) {
      const port = await freePort();
      const own = join(dir, String(port));
      rmSync(own, { recursive: true, force: true });
      spawnSync('mkdir', ['-p', own]);
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '2000',
          '--dir',
          own,
        ],
        { stdio: 'ignore' },
      );
      nodes.push({ port, child });
    }
    const cluster = new TestCluster(nodes, dir);
    for (const n of nodes) await until(() => pings(`redis://127.0.0.1:${n.port}`), 'node up');
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (create.status !== 0) {
      await cluster.stop();
      throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    }
    for (const n of nodes)
      await until(() => clusterOk(n.port), 'cluster_state:ok and replicas in sync');
    return cluster;
  }

  /** A plain connection to one node (for CLIENT LIST, CLUSTER SLOTS, ROLE). */
  connect(port: number): Redis {
    const conn = new Redis(port, '127.0.0.1', {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    conn.on('error', () => {});
    return conn;
  }

  /** The port of the master holding `slot`, as the cluster says now. */
  async masterOf(slot: number): Promise<number> {
    const conn = this.connect(
      this.nodes.find((n) => n.child.exitCode === null && n.child.signalCode === null)!.port,
    );
    try {
      const slots = (await conn.call('CLUSTER', 'SLOTS')) as Array<
        [number, number, [string, number]]
      >;
      const range = slots.find(([from, to]) => slot >= from && slot <= to);
      return Number(range![2][1]);
    } finally {
      conn.disconnect();
    }
  }

  /** SIGKILLs every node and removes their dirs. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => kill(n.child)));
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** SIGKILL, resolved once the process is gone. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

async function clusterOk(port: number): Promise<boolean> {
  const conn = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
  conn.on('error', () => {});
  try {
    if (!/cluster_state:ok/.test(String(await conn.call('CLUSTER', 'INFO')))) return false;
    // A replica that never synced cannot be elected: a failover test needs them all in sync.
    const replication = String(await conn.call('INFO', 'replication'));
    return !/role:slave/.test(replication) || /master_link_status:up/.test(replication);
  } catch {
    return false;
  } finally {
    conn.disconnect();
  }
}

async function until(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
