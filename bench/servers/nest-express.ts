import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { announceReady, readPort } from './contract.js';
import { BenchModule } from './nest-app.js';

/** NestJS `@Sse` on Express. */
const app = await NestFactory.create(BenchModule, new ExpressAdapter(), { logger: false });
await app.listen(readPort(), '127.0.0.1');
announceReady(app.getHttpServer().address().port);
