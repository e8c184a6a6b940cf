import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import fc from 'fast-check';
import { HeraldError } from '#herald/errors.js';
import { encodeEvent, type WireEvent } from '#herald/wire/index.js';

// Random events put through the encoder and a spec parser. The default (100,000) keeps `npm test`
// to seconds; CI raises it (HERALD_PROPERTY_EVENTS in .ci/run).
const TARGET_EVENTS = Number(process.env.HERALD_PROPERTY_EVENTS ?? 100_000);
const MAX_PER_STREAM = 20;

const MiB = 1024 * 1024;
// 1 MiB strings full of what the format cares about; drawn rarely, as each costs milliseconds.
const hostileMiB = '\r\n\0: data: x\ridé😀 \uFEFFevent: y\n\n'
  .repeat(Math.ceil(MiB / 30))
  .slice(0, MiB);
const plainMiB = 'a '.repeat(MiB / 2);

const awkward = fc.constantFrom(
  '\r',
  '\n',
  '\r\n',
  '\n\r',
  '\0',
  ' ',
  '  ',
  ':',
  '\uFEFF',
  'é',
  '😀',
  '\uD800',
  'data: x',
  'event: x',
  'id: 1',
  'retry: 0',
  '\n\n',
  '\t',
);
// Any code point ('binary', lone surrogates included), with the awkward ones made common.
const codePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
const text = fc.string({ unit: fc.oneof(awkward, codePoint), maxLength: 24 });
const anyText = fc.oneof(
  { weight: 20_000, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom('', hostileMiB, plainMiB) },
);
const nested = fc.jsonValue({ maxDepth: 4 }).filter((v) => v !== null && typeof v === 'object');
const event: fc.Arbitrary<WireEvent> = fc.record(
  {
    data: fc.oneof(anyText, nested, fc.integer(), fc.boolean()),
    id: fc.oneof(anyText, fc.integer()),
    type: anyText,
    comment: anyText,
    retry: fc.oneof(
      { weight: 10, arbitrary: fc.nat() },
      fc.integer({ min: -5, max: -1 }),
      fc.double(),
    ),
  },
  { requiredKeys: [] },
);

const FORBIDDEN = /[\r\n\0]/;
const FIELD_LINE = /^(?:event: |id: |retry: |data: |: )/;

/** Whether the encoder must refuse `e` (a field that would break out of its line, a bad retry). */
function mustRefuse(e: WireEvent): boolean {
  const type = e.type ?? '';
  if (FORBIDDEN.test(String(type))) return true;
  if (e.id !== undefined && FORBIDDEN.test(String(e.id))) return true;
  if (e.retry !== undefined && !(Number.isSafeInteger(e.retry) && e.retry >= 0)) return true;
  // Nothing to send at all (an empty type is no field).
  return (
    e.data === undefined &&
    e.comment === undefined &&
    e.id === undefined &&
    type === '' &&
    e.retry === undefined
  );
}

/**
 * A string as it survives UTF-8: a lone surrogate (not Unicode text, but possible in a JS string)
 * becomes U+FFFD. Everything else is unchanged.
 */
const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

function expectedData(data: unknown): string {
  // JSON escapes lone surrogates (ES2019 well-formed stringify), so JSON data arrives exactly.
  return typeof data === 'string' ? utf8(data).replace(/\r\n|\r/g, '\n') : JSON.stringify(data);
}

const show = (e: WireEvent) => JSON.stringify(e).slice(0, 200);
const lineCount = (s: string) => s.split(/\r\n|\r|\n/).length;

let checked = 0;

describe('no value of id, type, data or comment can add a field or an event', () => {
  it(`round-trips at least ${TARGET_EVENTS.toLocaleString('en')} random events through eventsource-parser`, () => {
    // Streams of 1 to 20 events, lengths spread evenly ('max' size): about 10 events a run.
    const runs = Math.ceil(TARGET_EVENTS / 9);
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: MAX_PER_STREAM, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 3 }),
        (events, cuts) => {
          const parts: Buffer[] = [];
          const accepted: WireEvent[] = [];
          for (const e of events) {
            checked++;
            let bytes: Buffer;
            try {
              bytes = encodeEvent(e);
            } catch (err) {
              assert.ok(err instanceof HeraldError && err.code === 'INVALID_EVENT', String(err));
              if (!mustRefuse(e)) assert.fail(`refused a valid event: ${show(e)}`);
              continue;
            }
            if (mustRefuse(e)) assert.fail(`accepted an event it must refuse: ${show(e)}`);
            parts.push(bytes);
            accepted.push(e);
          }
          const wire = Buffer.concat(parts);
          const text = wire.toString('utf8');

          // Line structure: no CR at all; every line is a known field or the blank dispatch line.
          assert.ok(!text.includes('\r'));
          const lines = text.split('\n');
          assert.equal(lines.pop(), '');
          const blank = lines.filter((l) => l === '').length;
          assert.equal(blank, accepted.length, 'one blank line per event, no more');
          for (const l of lines) {
            if (l !== '' && !FIELD_LINE.test(l))
              assert.fail(`unexpected line ${JSON.stringify(l.slice(0, 80))}`);
          }
          const count = (prefix: string) => lines.filter((l) => l.startsWith(prefix)).length;
          const typed = accepted.filter((e) => (e.type ?? '') !== '');
          assert.equal(count('event: '), typed.length);
          assert.equal(count('id: '), accepted.filter((e) => e.id !== undefined).length);
          assert.equal(count('retry: '), accepted.filter((e) => e.retry !== undefined).length);

          // What a client sees, with the bytes split anywhere (inside a character too).
          const got: EventSourceMessage[] = [];
          const retries: number[] = [];
          let comments = 0;
          const parser = createParser({
            onEvent: (m) => got.push(m),
            onRetry: (ms) => retries.push(ms),
            onComment: () => comments++,
          });
          const decoder = new TextDecoder();
          let at = 0;
          for (const cut of cuts.map((c) => c % (wire.length + 1)).sort((a, b) => a - b)) {
            parser.feed(decoder.decode(wire.subarray(at, cut), { stream: true }));
            at = cut;
          }
          parser.feed(decoder.decode(wire.subarray(at)));

          const dispatched = accepted.filter((e) => e.data !== undefined);
          assert.equal(got.length, dispatched.length, 'exactly the events sent');
          dispatched.forEach((e, i) => {
            const m = got[i]!;
            assert.equal(m.data, expectedData(e.data));
            assert.equal(m.event, (e.type ?? '') === '' ? undefined : utf8(e.type!));
            assert.equal(m.id, e.id === undefined ? undefined : utf8(String(e.id)));
          });
          assert.deepEqual(
            retries,
            accepted.flatMap((e) =>
              e.retry === undefined ? [] : [e.retry + 0],
            ) /* -0 is sent as 0 */,
          );
          const sentComments = accepted.reduce(
            (n, e) => n + (e.comment === undefined ? 0 : lineCount(e.comment)),
            0,
          );
          assert.equal(comments, sentComments);
        },
      ),
      { numRuns: runs },
    );
    assert.ok(checked >= TARGET_EVENTS, `checked ${checked} events`);
  });

  it('keeps 1 MiB values of every field in their field', () => {
    const id = hostileMiB.replace(/[\r\n\0]/g, '_');
    const wire = encodeEvent({ id, type: id, comment: hostileMiB, data: hostileMiB }).toString(
      'utf8',
    );
    const got: EventSourceMessage[] = [];
    createParser({ onEvent: (m) => got.push(m) }).feed(wire);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.id, id);
    assert.equal(got[0]!.event, id);
    assert.equal(got[0]!.data, expectedData(hostileMiB));
    for (const bad of [hostileMiB, `${plainMiB}\n`, `\0${plainMiB}`]) {
      assert.throws(() => encodeEvent({ id: bad, data: 'x' }), { code: 'INVALID_EVENT' } as object);
      assert.throws(() => encodeEvent({ type: bad, data: 'x' }), {
        code: 'INVALID_EVENT',
      } as object);
    }
  });
});
