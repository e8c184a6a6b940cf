import { Redis } from 'ioredis';

/** One entry of the shared log: what was really published. */
export interface Published {
  id: string;
  topic: string;
  data: string;
}

/**
 * The entries of `<prefix>:log` after `after`: the ground truth of what was published (entries
 * that are not events, such as the broker's floor entries, left out).
 */
export async function readLog(url: string, prefix: string, after: string): Promise<Published[]> {
  const conn = new Redis(url);
  try {
    const raw = (await conn.xrange(`${prefix}:log`, `(${after}`, '+')) as [string, string[]][];
    return raw
      .filter(([, f]) => f[0] === 't')
      .map(([id, f]) => ({
        id,
        topic: f[1]!,
        data: (JSON.parse(f[3]!) as { data: string }).data,
      }));
  } finally {
    conn.disconnect();
  }
}

/** The entries of `all` a client subscribed to `topics` must receive, in order. */
export const entriesFor = (all: readonly Published[], topics: readonly string[]): Published[] =>
  all.filter((p) => topics.includes(p.topic));

/** Events as comparable lines (`<id> <data>`), so a diff shows the first one lost or doubled. */
export const view = (events: readonly { id?: string | undefined; data: string }[]): string[] =>
  events.map((e) => `${e.id} ${e.data}`);

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 20 ms until it holds, or throws naming `what` after `ms`. */
export async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
