import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

/** The app on Express (default) or Fastify, configured as a production Nest app would be. */
export async function createApp(platform: 'express' | 'fastify'): Promise<INestApplication> {
  const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(AppModule, adapter, { logger: ['error', 'warn'] });
  app.useGlobalPipes(new ValidationPipe({ transform: true }));
  app.enableCors({ origin: true });
  // SIGTERM/SIGINT end every stream with a retry hint (2-4 s, spread), then close the hub.
  app.enableShutdownHooks();
  return app;
}
