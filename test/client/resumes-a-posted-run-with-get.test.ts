import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect } from 'herald/client';
import { numbers } from '../hub/runs/support/run-client.js';
import { startRun, startRunApp } from '../hub/runs/support/run-app.js';

/** A fetch that records each request and breaks the first response's body after `chunks` reads. */
function cuttingFetch(chunks: number) {
  const requests: Array<{
    url: string;
    method: string;
    lastEventId: string | null;
    body: boolean;
  }> = [];
  const fetcher: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    requests.push({
      url: String(input),
      method: init?.method ?? 'GET',
      lastEventId: headers.get('last-event-id'),
      body: init?.body !== undefined,
    });
    const res = await fetch(input, init);
    if (requests.length > 1 || res.body === null) return res;
    const reader = res.body.getReader();
    let reads = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        controller.enqueue(value);
        if (++reads >= chunks) {
          await reader.cancel();
          controller.error(new Error('cut'));
        }
      },
    });
    return new Response(body, { status: res.status, headers: res.headers });
  };
  return { fetcher, requests };
}

describe('herald/client on a run started by POST', () => {
  let app: Awaited<ReturnType<typeof startRunApp>>;
  before(async () => {
    app = await startRunApp();
  });
  after(() => app.close());

  it('reconnects with GET to resumeUrl and Last-Event-ID, and closes on herald:end', async () => {
    const { fetcher, requests } = cuttingFetch(3);
    const url = `${app.url}/runs/chat`;
    const stream = connect(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 80, everyMs: 2 }),
      resumeUrl: url,
      fetch: fetcher,
      retry: { initial: 10 },
    });
    const data: string[] = [];
    let end: unknown;
    for await (const e of stream) {
      if (e.type === 'herald:end') end = JSON.parse(e.data);
      else data.push(e.data);
    }
    assert.deepEqual(data, numbers(80), 'nothing repeated, nothing missing');
    assert.deepEqual(end, { status: 'done' });
    assert.equal(stream.readyState, 2);
    assert.ok(requests.length >= 2, 'it was cut and reconnected');
    assert.deepEqual(requests[0], { url, method: 'POST', lastEventId: null, body: true });
    for (const r of requests.slice(1)) {
      assert.equal(r.method, 'GET');
      assert.equal(r.body, false, 'the POST body is not sent again');
      assert.match(r.lastEventId ?? '', /-/);
    }
    assert.equal(requests.length, 2, 'no reconnection after herald:end');
  });

  it('closes quietly on 204 when it resumes with the terminal id', async () => {
    assert.equal(await startRun(app.url, 'over', { count: 2 }), 200);
    const text = await (await fetch(`${app.url}/runs/over`)).text();
    const endId = [...text.matchAll(/^id: (.*)$/gm)].at(-1)![1]!;
    const stream = connect(`${app.url}/runs/over`, { lastEventId: endId });
    const events: unknown[] = [];
    for await (const e of stream) events.push(e);
    assert.deepEqual(events, []);
    assert.equal(stream.readyState, 2);
  });
});
