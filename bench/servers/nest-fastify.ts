import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { announceReady, readPort } from './contract.js';
import { BenchModule } from './nest-app.js';

/** NestJS `@Sse` on Fastify. */
const app = await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false });
await app.listen(readPort(), '127.0.0.1');
announceReady(app.getHttpServer().address().port);
