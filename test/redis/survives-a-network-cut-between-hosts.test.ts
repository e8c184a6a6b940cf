import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sleep } from './support/ground-truth.js';
import { kill } from './support/redis-cluster.js';

// Several hosts, simulated with network namespaces: a Redis host (R), two Herald hosts (A, B) and
// a clients' host (C), joined by veth pairs, with addresses that exist only inside those
// namespaces. Herald -> Redis gets 20 ms of `tc netem` delay; on a kernel without sch_netem, a
// proxy on the Redis host (fixtures/delay-proxy.ts) delays each direction 20 ms instead. A is then
// cut off from Redis for 10 s with every packet dropped silently both ways (no RST, as a cloud
// network blip does), while B keeps publishing.
//
// What bounds A's feed noticing: its XREAD blocks 5 s; past `blockMs + commandTimeoutMs` without
// an answer the feed takes the link for dead and reconnects (stream-feed.ts, `stallMs`). A runs
// with commandTimeoutMs 2,000: it must notice within 7 s of the cut (asserted with slack), where
// TCP alone would wait out its retransmission timeout (minutes). Its clients stay connected and
// are caught up once the link is back (nothing was trimmed: no gap to announce).

const NODE = fileURLToPath(new URL('./fixtures/herald-node.js', import.meta.url));
const DRIVER = fileURLToPath(new URL('./fixtures/netns-driver.js', import.meta.url));
const PROXY = fileURLToPath(new URL('./fixtures/delay-proxy.js', import.meta.url));
const id = `h${process.pid % 100_000}`;
const ns = { r: `${id}r`, a: `${id}a`, b: `${id}b`, c: `${id}c` };
const CUT_MS = 10_000;
const NOTICE_BOUND_MS = 5_000 + 2_000;

function ip(...args: string[]): { ok: boolean; err: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: `${r.stderr ?? ''}${r.error?.message ?? ''}` };
}

/** Runs `args` in namespace `name`; throws on failure unless `soft`. */
function inNs(name: string, args: string[], soft = false): boolean {
  const r = ip('netns', 'exec', name, ...args);
  if (!r.ok && !soft) throw new Error(`ip netns exec ${name} ${args.join(' ')}: ${r.err}`);
  return r.ok;
}

/** Why this test cannot run here (one line), or false. */
function skipReason(): string | false {
  if (process.platform !== 'linux' || process.getuid?.() !== 0)
    return 'needs root on Linux to create network namespaces';
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0)
    return 'no redis-server installed';
  const probe = `${id}p`;
  const made = ip('netns', 'add', probe);
  if (!made.ok) return `cannot create network namespaces (ip netns add: ${made.err.trim()})`;
  ip('netns', 'del', probe);
  if (spawnSync('tc', ['-V'], { stdio: 'ignore' }).status !== 0) return 'no tc (iproute2)';
  return false;
}

const skip = skipReason();

/** A veth pair from `a` (named `na`, address `addrA`) to `b` (`nb`, `addrB`), both up. */
function link(a: string, na: string, addrA: string, b: string, nb: string, addrB: string): void {
  const made = ip('link', 'add', na, 'netns', a, 'type', 'veth', 'peer', 'name', nb, 'netns', b);
  if (!made.ok) throw new Error(`ip link add ${na}: ${made.err}`);
  inNs(a, ['ip', 'addr', 'add', addrA, 'dev', na]);
  inNs(b, ['ip', 'addr', 'add', addrB, 'dev', nb]);
  inNs(a, ['ip', 'link', 'set', na, 'up']);
  inNs(b, ['ip', 'link', 'set', nb, 'up']);
}

interface Proc {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  next(
    match: (line: Record<string, unknown>) => boolean,
    ms: number,
  ): Promise<Record<string, unknown>>;
}

/** Spawns `argv` in namespace `name`, collecting its JSON stdout lines. */
function spawnIn(name: string, argv: string[], env: Record<string, string> = {}): Proc {
  const child = spawn('ip', ['netns', 'exec', name, ...argv], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const listeners = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return;
    }
    for (const l of listeners) l();
  });
  return {
    child,
    lines,
    next: (match, ms) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (found === undefined) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${argv.join(' ')}: no expected line within ${ms} ms`));
        }, ms);
        listeners.add(check);
        check();
      }),
  };
}

describe('Herald on two hosts and Redis on a third, one host cut off from Redis for 10 s', {
  skip,
}, () => {
  const procs: Proc[] = [];
  let netem = false;
  before(() => {
    for (const name of Object.values(ns)) {
      if (!ip('netns', 'add', name).ok) throw new Error(`ip netns add ${name}`);
      inNs(name, ['ip', 'link', 'set', 'lo', 'up']);
    }
    link(ns.r, `${id}ra`, '10.77.1.1/24', ns.a, `${id}ar`, '10.77.1.2/24');
    link(ns.r, `${id}rb`, '10.77.2.1/24', ns.b, `${id}br`, '10.77.2.2/24');
    link(ns.c, `${id}ca`, '10.77.3.1/24', ns.a, `${id}ac`, '10.77.3.2/24');
    link(ns.c, `${id}cb`, '10.77.4.1/24', ns.b, `${id}bc`, '10.77.4.2/24');
    // 20 ms from each Herald host to Redis (kernels built without sch_netem: a proxy, below).
    netem = inNs(
      ns.a,
      ['tc', 'qdisc', 'add', 'dev', `${id}ar`, 'root', 'netem', 'delay', '20ms'],
      true,
    );
    if (netem)
      inNs(ns.b, ['tc', 'qdisc', 'add', 'dev', `${id}br`, 'root', 'netem', 'delay', '20ms']);
  });
  after(async () => {
    await Promise.all(procs.map((p) => kill(p.child)));
    for (const name of Object.values(ns)) ip('netns', 'del', name);
  });

  it('notices within its bounds, catches its clients up, and no client loses or repeats an event', {
    timeout: 180_000,
  }, async (t) => {
    const redis = spawnIn(ns.r, [
      'redis-server',
      '--port',
      '6379',
      '--bind',
      '0.0.0.0',
      '--protected-mode',
      'no',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    procs.push(redis);
    // Without netem, Herald hosts reach Redis through a 20 ms-each-way proxy on the Redis host.
    let port = 6379;
    if (!netem) {
      t.diagnostic('this kernel has no sch_netem: the 20 ms come from a proxy on the Redis host');
      for (const addr of ['10.77.1.1', '10.77.2.1']) {
        const proxy = spawnIn(ns.r, [process.execPath, PROXY], {
          LISTEN: `${addr}:6380`,
          TARGET: '127.0.0.1:6379',
          DELAY_MS: '20',
        });
        procs.push(proxy);
        await proxy.next((l) => l.listening === true, 20_000);
      }
      port = 6380;
    }
    const host = (name: string, redisAddr: string) =>
      spawnIn(ns[name as 'a' | 'b'], [process.execPath, NODE], {
        REDIS_URL: `redis://${redisAddr}:${port}`,
        HERALD_PREFIX: 'netns',
        HOST: '0.0.0.0',
        PORT: '8080',
        COMMAND_TIMEOUT_MS: '2000',
        REPORT_FEED: '1',
      });
    // Redis takes a moment to listen; a host that could not connect in its 3 s exits: retry.
    let a: Proc | undefined;
    let b: Proc | undefined;
    for (let attempt = 0; attempt < 10 && (a === undefined || b === undefined); attempt++) {
      await sleep(300);
      const pair = [host('a', '10.77.1.1'), host('b', '10.77.2.1')];
      procs.push(...pair);
      const up = await Promise.all(
        pair.map((p) =>
          p
            .next((l) => 'port' in l, 20_000)
            .then(
              () => true,
              () => false,
            ),
        ),
      );
      if (up.every(Boolean)) [a, b] = pair;
      else await Promise.all(pair.map((p) => kill(p.child)));
    }
    assert.ok(a && b, 'both Herald hosts started');

    const driver = spawnIn(ns.c, [process.execPath, DRIVER], {
      A_URL: 'http://10.77.3.2:8080',
      B_URL: 'http://10.77.4.2:8080',
      PUBLISH_MS: '22000',
    });
    procs.push(driver);
    await driver.next((l) => l.ready === true, 30_000);
    await sleep(2_000);

    // The cut: every packet between A and Redis dropped, both ways, silently.
    const drop = netem ? ['netem', 'loss', '100%'] : ['pfifo', 'limit', '0'];
    inNs(ns.a, ['tc', 'qdisc', 'replace', 'dev', `${id}ar`, 'root', ...drop]);
    inNs(ns.r, ['tc', 'qdisc', 'replace', 'dev', `${id}ra`, 'root', ...drop]);
    const cutAt = Date.now();
    const before = a.lines.filter((l) => 'feedErrors' in l).length;
    await sleep(CUT_MS);
    if (netem)
      inNs(ns.a, ['tc', 'qdisc', 'replace', 'dev', `${id}ar`, 'root', 'netem', 'delay', '20ms']);
    else inNs(ns.a, ['tc', 'qdisc', 'del', 'dev', `${id}ar`, 'root']);
    inNs(ns.r, ['tc', 'qdisc', 'del', 'dev', `${id}ra`, 'root']);

    const noticed = a.lines.filter((l) => 'feedErrors' in l).slice(before)[0];
    assert.ok(noticed !== undefined, "A's feed noticed the cut while it lasted");
    const tookMs = Number(noticed.at) - cutAt;
    // 7 s bound, plus slack for a loaded machine (timers run late), still inside the 10 s cut.
    assert.ok(tookMs <= NOTICE_BOUND_MS + 2_500, `noticed ${tookMs} ms after the cut`);
    t.diagnostic(`A's feed noticed the cut after ${tookMs} ms (bound ${NOTICE_BOUND_MS} ms)`);

    const done = await driver.next((l) => l.done === true, 120_000);
    const published = done.published as Record<string, number[]>;
    assert.deepEqual(done.failed, [], 'publishing through B never failed');
    const total = Object.values(published).reduce((n, list) => n + list.length, 0);
    // Sequential publishes over a 40 ms round trip, on a loaded machine: a few hundred, or fewer.
    assert.ok(total > 100, `${total} events published`);
    const clients = done.clients as Array<{
      host: string;
      topics: string[];
      data: number[];
      gaps: number;
      longestStallMs: number;
    }>;
    for (const c of clients) {
      const expected = Object.entries(published)
        .filter(([topic]) => c.topics.includes(topic))
        .flatMap(([, list]) => list)
        .sort((x, y) => x - y);
      assert.equal(new Set(c.data).size, c.data.length, `a client on ${c.host} got an event twice`);
      assert.equal(c.gaps, 0, `a client on ${c.host} was told of a gap`);
      for (const topic of c.topics) {
        const got = c.data.filter((n) => published[topic]!.includes(n));
        assert.deepEqual(
          got,
          published[topic],
          `client on ${c.host}, ${topic}: every event once, in order`,
        );
      }
      assert.equal(c.data.length, expected.length, `client on ${c.host}: nothing else`);
    }
    // The cut did cut: A's clients went seconds without an event, B's did not.
    const stalls = (h: string) => clients.filter((c) => c.host === h).map((c) => c.longestStallMs);
    t.diagnostic(`longest stall per client: a ${stalls('a')} ms; b ${stalls('b')} ms`);
    assert.ok(Math.min(...stalls('a')) >= 5_000, "A's clients were cut off");
    assert.ok(Math.max(...stalls('b')) < 5_000, "B's clients were not");
  });
});
