import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { benchTls } from './bench-tls.js';
import { announceReady, readPort } from './contract.js';
import { BenchModule } from './nest-app.js';

/** NestJS `@Sse` on Fastify (with `http2: true` over TLS in the HTTP/2 scenario). */
const tls = benchTls();
// The HTTP/2 scenario: Fastify's `http2: true` over TLS, HTTP/1.1 allowed for the control requests.
const adapter =
  tls === undefined
    ? new FastifyAdapter()
    : new FastifyAdapter({ http2: true, https: { ...tls, allowHTTP1: true } });
const app = await NestFactory.create(BenchModule, adapter, { logger: false });
await app.listen(readPort(), '127.0.0.1');
announceReady(app.getHttpServer().address().port);
