/** One scrape: every sample of the text format by `name{labels}` as printed (`name` alone if none). */
export type Samples = Map<string, number>;

/** GETs `url` and parses the Prometheus text format it answers. */
export async function scrape(url: string): Promise<Samples> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`scrape answered ${res.status}`);
  return parseSamples(await res.text());
}

/** Parses the text exposition format (comments skipped). */
export function parseSamples(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** A sample's value, failing loudly when the series does not exist (a 0 must be a real 0). */
export function value(samples: Samples, series: string): number {
  const v = samples.get(series);
  if (v === undefined) throw new Error(`no series ${series} in the scrape`);
  return v;
}

/** How much `series` grew from `before` to `after`. */
export function delta(before: Samples, after: Samples, series: string): number {
  return value(after, series) - value(before, series);
}
