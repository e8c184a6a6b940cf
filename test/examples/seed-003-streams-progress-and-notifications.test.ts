import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { HeraldApplication } from 'herald';
import { collect } from '../support/event-source.js';
import { readText, startSeed } from './load-seed.js';

// Concurrent: the task takes ten seconds (the lesson's 1 s steps); the other streams run meanwhile.
describe('seed 003: counter, typed notifications and task progress on Herald', {
  concurrency: true,
}, () => {
  let app: HeraldApplication;
  let url: string;
  before(async () => {
    ({ app, url } = await startSeed('seed-003-progress-and-notifications'));
  });
  after(() => app.close());

  it('streams the count with an ISO timestamp every second', async () => {
    const got = await collect(`${url}/events`, 2, [], 30_000);
    const data = got.map((e) => JSON.parse(e.data));
    assert.deepEqual(
      data.map((d) => d.count),
      [0, 1],
    );
    for (const d of data) assert.equal(new Date(d.timestamp).toISOString(), d.timestamp);
  });

  it('types notifications as message, alert and update, with ids, for addEventListener', async () => {
    const got = await collect(`${url}/notifications`, 3, ['alert', 'update']);
    assert.deepEqual(
      got.map((e) => [e.type, e.id, JSON.parse(e.data).type]),
      [
        ['message', '1', 'message'],
        ['alert', '2', 'alert'],
        ['update', '3', 'update'],
      ],
    );
  });

  it('sends retry: 30000 with each notification, then completes', async () => {
    const body = await readText(await fetch(`${url}/notifications`));
    const events: EventSourceMessage[] = [];
    const retries: number[] = [];
    const parser = createParser({
      onEvent: (e) => events.push(e),
      onRetry: (ms) => retries.push(ms),
    });
    parser.feed(body);
    assert.deepEqual(retries, [30000, 30000, 30000]);
    assert.deepEqual(
      events.map((e) => e.event),
      ['message', 'alert', 'update'],
    );
  });

  it('POST /tasks starts a task whose progress reaches 100, then the stream completes', async () => {
    const res = await fetch(`${url}/tasks`, { method: 'POST' });
    assert.equal(res.status, 201);
    const { id } = (await res.json()) as { id: string };
    assert.match(id, /^[0-9a-f-]{36}$/);
    const progress: number[] = [];
    const ended = await new Promise<boolean>((resolve, reject) => {
      const es = new EventSource(`${url}/tasks/${id}/progress`);
      const timer = setTimeout(() => {
        es.close();
        reject(new Error(`no end; progress ${progress}`));
        // Ten 1 s steps; a busy machine only makes them later.
      }, 60_000);
      es.onmessage = (e) => {
        const data = JSON.parse(e.data);
        assert.equal(data.taskId, id);
        progress.push(data.progress);
      };
      // The server ended the response: EventSource reports an error and would reconnect.
      es.onerror = () => {
        clearTimeout(timer);
        es.close();
        resolve(true);
      };
    });
    assert.ok(ended);
    assert.deepEqual(progress, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });
});
