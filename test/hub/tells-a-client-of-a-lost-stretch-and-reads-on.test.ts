import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageEvent } from 'herald';
import { type BrokerEntry, Hub, type HubBroker, type ReplayResult } from 'herald/hub';

/**
 * A broker written against the public `HubBroker` contract: ids are `1`, `2`, ... ordered as
 * numbers, every entry kept; a test can script the next answers of `readAfter` (a gap that keeps
 * positions elsewhere, as a sharded broker answers) and append loss markers (`gap`).
 */
class ScriptedBroker implements HubBroker {
  readonly entries: BrokerEntry[] = [];
  /** Answers `readAfter` gives first, in order, whatever it is asked. */
  readonly script: ReplayResult[] = [];
  readonly asked: string[] = [];
  #deliver: (entry: BrokerEntry) => void = () => {};

  start(deliver: (entry: BrokerEntry) => void): void {
    this.#deliver = deliver;
  }

  append(topic: string, event: BrokerEntry['event']): string {
    return this.#add({ id: String(this.entries.length + 1), topic, event });
  }

  /** A loss marker: clients below `below` may lack what the log lost. */
  marker(below: string): string {
    return this.#add({
      id: String(this.entries.length + 1),
      topic: '',
      event: { data: '' },
      gap: below,
    });
  }

  head(): string {
    return String(this.entries.length);
  }

  readAfter(id: string, limit?: number): ReplayResult {
    this.asked.push(id);
    const scripted = this.script.shift();
    if (scripted !== undefined) return scripted;
    const after = this.entries.filter((e) => Number(e.id) > Number(id));
    return { kind: 'ok', entries: limit === undefined ? after : after.slice(0, limit) };
  }

  readAll(): readonly BrokerEntry[] {
    return this.entries;
  }

  compare(a: string, b: string): number {
    return Number(a) - Number(b);
  }

  close(): void {}

  #add(entry: BrokerEntry): string {
    this.entries.push(entry);
    this.#deliver(entry);
    return entry.id;
  }
}

function follow(hub: Hub, lastEventId: string): MessageEvent<unknown>[] {
  const events: MessageEvent<unknown>[] = [];
  hub.subscribe('t', { lastEventId }).subscribe({ next: (e) => events.push(e) });
  return events;
}

const summary = (events: MessageEvent<unknown>[]) =>
  events.map((e) =>
    e.type === 'herald:gap'
      ? `gap@${e.id}:${(e.data as { reason?: string }).reason ?? ''}`
      : e.data,
  );

describe('a replay that meets lost entries', () => {
  it('passes a loss marker above the client: one notice there, then everything after it', async () => {
    const broker = new ScriptedBroker();
    const hub = new Hub({ broker });
    const first = await hub.publish('t', { data: 'a' });
    await hub.publish('t', { data: 'b' });
    broker.marker('3');
    broker.marker('4');
    await hub.publish('t', { data: 'c' });
    // Two markers in a row tell the client once, before its next event; the notice's id is past
    // both.
    assert.deepEqual(summary(follow(hub, first)), ['b', 'gap@4:lost', 'c']);
    // A client already past a marker's bound is not told.
    assert.deepEqual(summary(follow(hub, '5')), []);
    // The hub fanned neither marker out live, and counts each notice as a gap.
    assert.equal(hub.stats().gaps, 1);
    await hub.close();
  });

  it('reads on from a gap that kept the client’s position elsewhere, and goes live from the head when a second one makes no progress', async () => {
    const broker = new ScriptedBroker();
    const hub = new Hub({ broker });
    for (const data of ['a', 'b', 'c']) await hub.publish('t', { data });
    // A gap whose head (2) keeps a position: the hub reads on after it.
    broker.script.push({ kind: 'gap', oldestId: null, headId: '2', readOn: true });
    assert.deepEqual(summary(follow(hub, '1')), ['gap@2:', 'c']);
    assert.deepEqual(broker.asked, ['1', '2', '3']);

    // The same gap again (no progress): live from the broker's head, told of that too.
    broker.asked.length = 0;
    broker.script.push(
      { kind: 'gap', oldestId: null, headId: '2', readOn: true },
      { kind: 'gap', oldestId: null, headId: '2', readOn: true },
    );
    const events = follow(hub, '1');
    await hub.publish('t', { data: 'd' });
    assert.deepEqual(summary(events), ['gap@2:', 'gap@3:', 'd']);
    assert.deepEqual(broker.asked, ['1', '2']);
    await hub.close();
  });
});
