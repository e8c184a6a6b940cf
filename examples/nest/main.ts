import 'reflect-metadata';
import { createApp } from './create-app.js';

const platform = process.env.PLATFORM === 'fastify' ? 'fastify' : 'express';
const app = await createApp(platform);
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
console.log(`News on ${platform}: ${await app.getUrl()}/news/stream`);
