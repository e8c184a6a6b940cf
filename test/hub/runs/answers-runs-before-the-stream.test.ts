import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RunClient } from './support/run-client.js';
import { startRun, startRunApp } from './support/run-app.js';

describe('run routes before any stream', () => {
  let app: Awaited<ReturnType<typeof startRunApp>>;
  before(async () => {
    app = await startRunApp();
  });
  after(() => app.close());

  it('starts a run with a POST body and streams it as text/event-stream with status 200', async () => {
    const res = await fetch(`${app.url}/runs/posted`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 3 }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const text = await res.text();
    assert.match(
      text,
      /data: 0\n\n[\s\S]*data: 2\n\n[\s\S]*event: herald:end\ndata: \{"status":"done"\}/,
    );
  });

  it('answers 409 to a second start of a running or retained id, before any stream', async () => {
    assert.equal(await startRun(app.url, 'twice', { count: 50, everyMs: 20 }), 200);
    const again = await fetch(`${app.url}/runs/twice`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1 }),
    });
    assert.equal(again.status, 409);
    assert.match(
      ((await again.json()) as { message: string }).message,
      /twice.*running or still retained/,
    );
    await app.runs.cancel('twice');
    assert.equal(await startRun(app.url, 'twice', { count: 1 }), 409, 'ended but retained');
  });

  it('answers 404 with JSON for an unknown run', async () => {
    const res = await fetch(`${app.url}/runs/nobody`, { headers: { accept: 'text/event-stream' } });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /json/);
    assert.deepEqual(await res.json(), {
      statusCode: 404,
      message: 'no run "nobody"',
      error: 'Not Found',
    });
  });

  it('answers 204 to a client whose Last-Event-ID is the terminal event, and replays otherwise', async () => {
    const view = await new RunClient(`${app.url}/runs/ended`, { post: { count: 4 } }).done;
    assert.equal(view.status, 'done');
    const endId = await lastIdOf(`${app.url}/runs/ended`);
    const res = await fetch(`${app.url}/runs/ended`, { headers: { 'last-event-id': endId } });
    assert.equal(res.status, 204);
    const again = await new RunClient(`${app.url}/runs/ended`).done;
    assert.deepEqual(again.data, ['0', '1', '2', '3'], 'without an id: the whole run again');
    const foreign = await new RunClient(`${app.url}/runs/ended`, { lastId: 'not-an-id' }).done;
    assert.deepEqual(foreign.data, ['0', '1', '2', '3'], "another run's id replays from the start");
  });

  it('refuses a run id that cannot name a run (INVALID_RUN_ID, a 400 before a stream)', async () => {
    for (const id of ['', 'x'.repeat(201)]) {
      await assert.rejects(app.runs.start(id, [{ data: 'x' }]), { code: 'INVALID_RUN_ID' });
      await assert.rejects(app.runs.subscribe(id), { code: 'RUN_NOT_FOUND' });
    }
    assert.equal(await app.runs.cancel(''), false);
  });
});

/** The id of the last event a full read of `url` carries (the terminal event's). */
async function lastIdOf(url: string): Promise<string> {
  const text = await (await fetch(url)).text();
  const ids = [...text.matchAll(/^id: (.*)$/gm)].map((m) => m[1]!);
  assert.ok(ids.length > 0);
  return ids.at(-1)!;
}
