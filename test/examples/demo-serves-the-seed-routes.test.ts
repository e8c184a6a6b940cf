import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import type { HeraldApplication } from 'herald';
import { startDemo } from '../../examples/demo/start-demo.js';
import { collect } from '../support/event-source.js';
import { readText } from './load-seed.js';

const post = (url: string, body?: object) =>
  fetch(url, {
    method: 'POST',
    ...(body
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
      : {}),
  });

describe('the demo app', { concurrency: true }, () => {
  let app: HeraldApplication;
  let url: string;
  before(async () => {
    app = await startDemo({
      port: 0,
      host: '127.0.0.1',
      tickMs: 20,
      notificationMs: 30,
      taskStepMs: 20,
      log: false,
    });
    url = app.getUrl();
  });
  after(() => app.close());

  it('serves the page and its script at /', async () => {
    const page = await fetch(url);
    assert.match(page.headers.get('content-type')!, /text\/html/);
    assert.match(await page.text(), /<script type="module" src="\/app.js">/);
    const script = await fetch(`${url}/app.js`);
    assert.match(script.headers.get('content-type')!, /javascript/);
    assert.match(await script.text(), /addEventListener\('alert'/);
  });

  it('streams hello world on /sse and a count with a timestamp on /events', async () => {
    const hello = await collect(`${url}/sse`, 2);
    assert.deepEqual(
      hello.map((e) => e.data),
      ['{"hello":"world"}', '{"hello":"world"}'],
    );
    const events = (await collect(`${url}/events`, 3)).map((e) => JSON.parse(e.data));
    assert.deepEqual(
      events.map((d) => d.count),
      [0, 1, 2],
    );
    assert.ok(
      events.every(
        (d) => typeof d.timestamp === 'string' && !Number.isNaN(Date.parse(d.timestamp)),
      ),
    );
  });

  it('types notifications message, update and alert, with hub ids and retry: 30000', async () => {
    const got = await collect(`${url}/notifications`, 6, ['update', 'alert']);
    const types = got.map((e) => e.type);
    assert.ok(types.includes('alert') && types.includes('update') && types.includes('message'));
    for (const e of got) assert.equal(JSON.parse(e.data).type, e.type);
    const ns = got.map((e) => JSON.parse(e.data).n);
    assert.deepEqual(
      ns,
      ns.map((_, i) => ns[0] + i),
    );
    assert.ok(got.every((e) => e.id !== ''));
    const raw = await readText(await fetch(`${url}/notifications`), /retry: \d+\n/);
    assert.match(raw, /retry: 30000\n/);
  });

  it('resumes notifications from lastEventId with nothing missed and nothing twice', async () => {
    const first = await collect(`${url}/notifications`, 3, ['update', 'alert']);
    const last = first.at(-1)!;
    const lastN = JSON.parse(last.data).n as number;
    // Dropped for a while: several notifications are published meanwhile.
    await new Promise((r) => setTimeout(r, 150));
    const resumed = await collect(
      `${url}/notifications?lastEventId=${encodeURIComponent(last.id)}`,
      8,
      ['update', 'alert'],
    );
    assert.deepEqual(
      resumed.map((e) => JSON.parse(e.data).n),
      Array.from({ length: 8 }, (_, i) => lastN + 1 + i),
    );
  });

  it("filters /verified per client's e-mail, and a dropped client resumes its own events", async () => {
    const open = (query: string) => {
      const es = new EventSource(`${url}/verified?${query}`);
      const got: { id: string; data: unknown }[] = [];
      es.onmessage = (e) => got.push({ id: e.lastEventId, data: JSON.parse(e.data) });
      const opened = new Promise((resolve) => {
        es.onopen = resolve;
      });
      return { es, got, opened };
    };
    const until = async (check: () => boolean) => {
      const end = Date.now() + 30_000;
      while (!check()) {
        if (Date.now() > end) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const ada = open('email=ada@example.com');
    const bob = open('email=bob@example.com');
    try {
      await Promise.all([ada.opened, bob.opened]);
      assert.equal((await post(`${url}/verify`, { email: 'ada@example.com' })).status, 202);
      await until(() => ada.got.length === 1);
      ada.es.close();
      // Published while ada is away: one for her, one for bob.
      await post(`${url}/verify`, { email: 'ada@example.com', isVerified: false });
      await post(`${url}/verify`, { email: 'bob@example.com' });
      await until(() => bob.got.length === 1);
      const back = open(`email=ada@example.com&lastEventId=${ada.got[0]!.id}`);
      try {
        await until(() => back.got.length === 1);
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(
          [...ada.got, ...back.got].map((e) => e.data),
          [
            { email: 'ada@example.com', isVerifiedFilter: true },
            { email: 'ada@example.com', isVerifiedFilter: false },
          ],
        );
        assert.deepEqual(
          bob.got.map((e) => e.data),
          [{ email: 'bob@example.com', isVerifiedFilter: true }],
        );
      } finally {
        back.es.close();
      }
    } finally {
      ada.es.close();
      bob.es.close();
    }
    const bad = await fetch(`${url}/verified?email=nope`);
    assert.equal(bad.status, 400);
    assert.equal((await post(`${url}/verify`, { email: 'x' })).status, 400);
  });

  it('runs a task to 100, then answers 204; an unknown task is a 404 JSON', async () => {
    const res = await post(`${url}/tasks`);
    assert.equal(res.status, 201);
    const { id } = (await res.json()) as { id: string };
    const body = await readText(await fetch(`${url}/tasks/${id}/progress`));
    const progress = [...body.matchAll(/"progress":(\d+)/g)].map((m) => Number(m[1]));
    assert.equal(progress.at(-1), 100);
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
    );
    const done = await fetch(`${url}/tasks/${id}/progress`);
    assert.equal(done.status, 204);
    const unknown = await fetch(`${url}/tasks/no-such-task/progress`);
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), {
      statusCode: 404,
      message: 'No task no-such-task',
      error: 'Not Found',
    });
  });

  it("reports the hub's stats at /stats", async () => {
    const es = new EventSource(`${url}/notifications`);
    try {
      await new Promise((resolve) => {
        es.onopen = resolve;
      });
      const stats = await (await fetch(`${url}/stats`)).json();
      assert.ok(stats.topics.notifications >= 1);
      assert.ok(stats.published > 0);
      assert.equal(typeof stats.delivered, 'number');
    } finally {
      es.close();
    }
  });
});
