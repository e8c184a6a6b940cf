import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/**
 * The `main.ts` the seeds leave out, for a NestJS 12 app on either platform: validation on (seed
 * 001's DTO), listening on `port` (0 picks a free one).
 */
export async function bootstrapSeed(
  module: unknown,
  platform: 'express' | 'fastify' = 'express',
  port = 0,
): Promise<INestApplication> {
  const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(module, adapter, { logger: false });
  app.useGlobalPipes(new ValidationPipe({ transform: true }));
  app.enableShutdownHooks();
  await app.listen(port, '127.0.0.1');
  return app;
}
