import type { HeraldApplication } from 'herald';

/** What every seed module exports. */
export interface Seed {
  bootstrap(port?: number, host?: string): Promise<HeraldApplication>;
}

/**
 * Imports a compiled seed by file name (without extension) and starts it on a free port. The
 * specifier is computed on purpose: the seeds compile under their own, NestJS-like tsconfig
 * (`examples/seeds/tsconfig.json`), and a literal import would pull them into the strict test build.
 */
export async function startSeed(name: string): Promise<{ app: HeraldApplication; url: string }> {
  const href = new URL(`../../examples/seeds/${name}.js`, import.meta.url).href;
  const seed = (await import(href)) as Seed;
  const app = await seed.bootstrap(0, '127.0.0.1');
  return { app, url: app.getUrl() };
}

/** Reads a response body as text until it ends or `until` matches what was read. */
export async function readText(res: Response, until?: RegExp): Promise<string> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += value;
    if (until?.test(text)) {
      await reader.cancel();
      return text;
    }
  }
}
