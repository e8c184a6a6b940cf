import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect } from '../support/event-source.js';
import { readText, startSeed } from './load-seed.js';

describe("seed 002: Danet's @SSE + EventTarget + SSEMessage on Herald", () => {
  it('delivers four hello events with ids 0-3, then close, to a real EventSource', async () => {
    const { app, url } = await startSeed('seed-002-danet-sse');
    try {
      const got = await collect(`${url}/sse`, 5, ['hello', 'close']);
      assert.deepEqual(got, [
        { type: 'hello', data: 'world', id: '0' },
        { type: 'hello', data: 'world', id: '1' },
        { type: 'hello', data: 'world', id: '2' },
        { type: 'hello', data: 'world', id: '3' },
        { type: 'close', data: 'close', id: '4' },
      ]);
    } finally {
      await app.close();
    }
  });

  it('sends retry: 1000 and ends the response after the close event', async () => {
    const { app, url } = await startSeed('seed-002-danet-sse');
    try {
      const res = await fetch(`${url}/sse`);
      assert.equal(res.headers.get('content-type'), 'text/event-stream');
      const body = await readText(res);
      assert.match(body, /retry: 1000\n/);
      assert.equal(body.match(/event: hello\n/g)?.length, 4);
      // The response ends with the close event: nothing after it, no further hello.
      const last = body.slice(body.lastIndexOf('\n\n', body.length - 3) + 2);
      assert.match(last, /event: close\n/);
      assert.match(last, /data: close\n\n$/);
    } finally {
      await app.close();
    }
  });
});
