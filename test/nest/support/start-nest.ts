import type { INestApplication, Type } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';

/** Every test of herald/nest runs on both of Nest's HTTP platforms. */
export const PLATFORMS = ['express', 'fastify'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A started Nest app and its base URL. */
export interface StartedNest {
  app: INestApplication;
  url: string;
}

/** Options of {@link startNest}. */
export interface StartOptions {
  /** Changes the testing module before it compiles (e.g. `overrideProvider`). */
  build?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Configures the app before it listens (CORS, global pipes and interceptors). */
  setup?: (app: INestApplication) => void | Promise<void>;
}

/** Compiles `module` with `@nestjs/testing` and listens on a free port on `platform`. */
export async function startNest(
  module: Type<unknown>,
  platform: Platform,
  options: StartOptions = {},
): Promise<StartedNest> {
  let builder = Test.createTestingModule({ imports: [module] });
  if (options.build) builder = options.build(builder);
  const compiled = await builder.compile();
  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = compiled.createNestApplication(adapter, { logger: false });
  await options.setup?.(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}
