import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  isEventStreamType,
  isRetryableStatus,
  parseRetryAfter,
  reconnectDelay,
  resolveBackoff,
} from 'herald/client';

describe('reconnection delay', () => {
  const settings = resolveBackoff({ initial: 100, max: 1000, jitter: 0 });

  test('after a clean end is exactly the reconnection time, server retry first', () => {
    assert.equal(reconnectDelay(settings, { failures: 0 }), 100);
    assert.equal(reconnectDelay(settings, { failures: 0, serverRetry: 250 }), 250);
  });

  test('doubles with each consecutive failure and stops at max', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((failures) => reconnectDelay(settings, { failures }));
    assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000]);
  });

  test('grows from the server retry when there is one', () => {
    assert.equal(reconnectDelay(settings, { failures: 3, serverRetry: 200 }), 800);
  });

  test('jitter draws each wait from [delay * (1 - jitter), delay]', () => {
    const jittered = resolveBackoff({ initial: 100, max: 1000, jitter: 0.5 });
    assert.equal(
      reconnectDelay(jittered, { failures: 4 }, () => 0),
      800,
    );
    assert.equal(
      reconnectDelay(jittered, { failures: 4 }, () => 0.999999),
      400,
    );
    assert.equal(
      reconnectDelay(jittered, { failures: 4 }, () => 0.5),
      600,
    );
  });

  test('never goes below the server retry, even jittered or above max', () => {
    const jittered = resolveBackoff({ initial: 100, max: 1000, jitter: 1 });
    assert.equal(
      reconnectDelay(jittered, { failures: 1, serverRetry: 300 }, () => 0.99),
      300,
    );
    assert.equal(
      reconnectDelay(jittered, { failures: 9, serverRetry: 5000 }, () => 0.5),
      5000,
    );
  });

  test('waits at least Retry-After', () => {
    assert.equal(reconnectDelay(settings, { failures: 1, retryAfter: 3000 }), 3000);
    assert.equal(reconnectDelay(settings, { failures: 4, retryAfter: 10 }), 800);
  });

  test('defaults: 1 s initial, 30 s cap, jitter 0.5; nonsense clamped', () => {
    assert.deepEqual(resolveBackoff(), { initial: 1000, max: 30_000, jitter: 0.5 });
    assert.deepEqual(resolveBackoff({ initial: -5, max: -1, jitter: 7 }), {
      initial: 0,
      max: 0,
      jitter: 1,
    });
  });
});

describe('Retry-After', () => {
  test('reads delta-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(' 0 '), 0);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:02 GMT', now), 2000);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now), 0);
  });

  test('ignores what it cannot read', () => {
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter('-3'), undefined);
  });
});

describe('status and Content-Type rules', () => {
  test('retries 408, 425, 429 and 5xx except 501, 505, 511', () => {
    for (const status of [408, 425, 429, 500, 502, 503, 504, 507, 599]) {
      assert.equal(isRetryableStatus(status), true, String(status));
    }
    for (const status of [201, 301, 304, 400, 401, 403, 404, 405, 406, 410, 422, 501, 505, 511]) {
      assert.equal(isRetryableStatus(status), false, String(status));
    }
  });

  test('accepts text/event-stream with any parameters and case', () => {
    for (const type of [
      'text/event-stream',
      'TEXT/Event-Stream',
      'text/event-stream;',
      ' text/event-stream ; charset=utf-8',
    ]) {
      assert.equal(isEventStreamType(type), true, type);
    }
    for (const type of [null, '', 'text/plain', 'x bogus', 'text/event-streams', 'text/x-bogus']) {
      assert.equal(isEventStreamType(type), false, String(type));
    }
  });
});
