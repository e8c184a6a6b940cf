import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencySampler } from '../../bench/load/latency-sampler.js';
import { SseReader } from '../../bench/load/sse-reader.js';

const frames = ['retry: 2000\n\n', 'data: 1000.5 xx\n\n', 'id: 7\ndata: "1001.25 yy"\n\n', ':\n\n'];
const body = frames.join('');
const chunked = frames.map((f) => `${Buffer.byteLength(f).toString(16)}\r\n${f}\r\n`).join('');
const head = (extra: string) =>
  `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n${extra}\r\n`;

/** Feeds `wire` to a fresh reader split at `cut` (and `cut2`), through a reused buffer. */
function read(wire: string, cuts: number[]) {
  const samples: number[] = [];
  const reader = new SseReader(new LatencySampler(1, samples));
  const bytes = Buffer.from(wire);
  const shared = Buffer.alloc(bytes.length + 16, 0x0a);
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    bytes.copy(shared, 0, from, to);
    reader.feed(shared, to - from, 2000);
    from = to;
  }
  return { reader, samples };
}

describe('SseReader', () => {
  for (const [name, wire] of [
    ['identity', head('') + body],
    ['chunked', head('Transfer-Encoding: chunked\r\n') + chunked],
  ] as const) {
    it(`counts ${name} frames wherever the reads split`, () => {
      const length = Buffer.byteLength(wire);
      for (let a = 1; a < length; a++) {
        for (const b of [a + 1, a + 2, a + 7]) {
          const { reader, samples } = read(wire, b < length ? [a, b] : [a]);
          assert.equal(reader.status, 200);
          assert.equal(reader.frames, frames.length, `split at ${a}/${b}`);
          assert.deepEqual(samples, [999.5, 998.75], `split at ${a}/${b}`);
        }
      }
    });
  }

  it('is not subscribed until the whole head has arrived', () => {
    const { reader } = read('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n', [10]);
    assert.equal(reader.subscribed, false);
    assert.equal(reader.frames, 0);
  });
});
