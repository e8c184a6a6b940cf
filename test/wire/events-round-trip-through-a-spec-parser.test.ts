import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import fc from 'fast-check';
import { HeraldError } from '#herald/errors.js';
import { encodeEvent, type MessageEvent } from '#herald/wire/index.js';

/** Feeds `bytes` to a spec parser, split at `cuts`, and returns what it dispatched. */
function parse(bytes: Buffer, cuts: number[] = []) {
  const events: EventSourceMessage[] = [];
  const retries: number[] = [];
  const comments: string[] = [];
  const parser = createParser({
    onEvent: (e) => events.push(e),
    onRetry: (ms) => retries.push(ms),
    onComment: (c) => comments.push(c),
  });
  // A TextDecoder in stream mode, as a client does: cuts may fall inside a multibyte character.
  const decoder = new TextDecoder();
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.feed(decoder.decode(bytes.subarray(at, cut), { stream: true }));
    at = cut;
  }
  parser.feed(decoder.decode(bytes.subarray(at)));
  return { events, retries, comments };
}

// Any well-formed Unicode, with the characters that matter to the format (line breaks, NUL, colon,
// leading spaces, BOM) made common.
const awkward = fc.constantFrom('\r', '\n', '\r\n', '\0', ' ', ':', '\uFEFF', 'é', '😀', 'data: x');
const text = fc.string({ unit: fc.oneof(awkward, fc.string({ unit: 'grapheme', maxLength: 1 })) });
const safeField = text.filter((s) => !/[\r\n\0]/.test(s));
const json = fc.jsonValue();
const RUNS = Number(process.env.HERALD_PROPERTY_RUNS ?? 2000);

describe('the wire encoder', () => {
  it('delivers any string data exactly, with CR and CRLF arriving as LF (the format has one line break)', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 4 }), (data, cuts) => {
        const bytes = encodeEvent({ data });
        const { events } = parse(
          bytes,
          cuts.map((c) => c % (bytes.length + 1)),
        );
        assert.equal(events.length, 1);
        assert.equal(events[0]!.data, data.replace(/\r\n|\r/g, '\n'));
      }),
      { numRuns: RUNS },
    );
  });

  it('delivers any JSON object or array as data that parses back to an equal value', () => {
    fc.assert(
      fc.property(json, (value) => {
        fc.pre(value !== null && typeof value === 'object');
        const { events } = parse(encodeEvent({ data: value as object }));
        assert.equal(events.length, 1);
        // JSON's own semantics apply (-0 becomes 0), nothing else changes.
        assert.deepEqual(JSON.parse(events[0]!.data), JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: RUNS },
    );
  });

  it('delivers id, type and retry as sent, as exactly one event', () => {
    fc.assert(
      fc.property(
        text,
        safeField,
        safeField.filter((s) => s !== ''),
        fc.nat(),
        (data, id, type, retry) => {
          const { events, retries } = parse(encodeEvent({ data, id, type, retry }));
          assert.equal(events.length, 1);
          assert.equal(events[0]!.id, id);
          assert.equal(events[0]!.event, type);
          assert.deepEqual(retries, [retry]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses any id or type with CR, LF or NUL, so no field or event can be injected', () => {
    const hostile = fc
      .tuple(text, fc.constantFrom('\r', '\n', '\0', '\r\n'), text)
      .map(([a, bad, b]) => a + bad + b);
    fc.assert(
      fc.property(hostile, fc.boolean(), (value, asId) => {
        const event: MessageEvent = asId ? { data: 'x', id: value } : { data: 'x', type: value };
        assert.throws(
          () => encodeEvent(event),
          (err: unknown) => {
            return err instanceof HeraldError && err.code === 'INVALID_EVENT';
          },
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps any comment a comment: no event is dispatched however many lines it has', () => {
    fc.assert(
      fc.property(text, (comment) => {
        const { events, comments } = parse(encodeEvent({ comment }));
        assert.equal(events.length, 0);
        assert.equal(comments.length, comment.split(/\r\n|\r|\n/).length);
      }),
      { numRuns: RUNS },
    );
  });

  it('sends empty data and retry 0', () => {
    const { events, retries } = parse(encodeEvent({ data: '', retry: 0 }));
    assert.equal(events.length, 1);
    assert.equal(events[0]!.data, '');
    assert.deepEqual(retries, [0]);
  });

  it("accepts Danet's `event` for the type, and `type` wins when both are set", () => {
    assert.equal(parse(encodeEvent({ data: 'x', event: 'hello' })).events[0]!.event, 'hello');
    assert.equal(parse(encodeEvent({ data: 'x', event: 'a', type: 'b' })).events[0]!.event, 'b');
  });

  it('refuses a negative or fractional retry and data with no JSON form', () => {
    for (const bad of [
      { data: 'x', retry: -1 },
      { data: 'x', retry: 1.5 },
      { data: 1n as unknown as object },
    ]) {
      assert.throws(() => encodeEvent(bad), {
        name: 'HeraldError',
        code: 'INVALID_EVENT',
      } as object);
    }
  });

  it('encodes 1 MiB of data with line breaks as one event', () => {
    const big = 'x'.repeat(1000).concat('\n').repeat(1024);
    const { events } = parse(encodeEvent({ data: big }));
    assert.equal(events.length, 1);
    assert.equal(events[0]!.data, big);
  });
});
