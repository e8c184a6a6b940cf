import { startDemo } from './start-demo.js';

// `npm start`: the demo on PORT (default 3000), until Ctrl-C.
const port = Number(process.env.PORT ?? 3000);
const app = await startDemo({ port, ...(process.env.HOST ? { host: process.env.HOST } : {}) });
const { port: bound } = new URL(app.getUrl());
console.log(`Herald demo: http://localhost:${bound}/`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: closing`);
    void app.close(signal);
  });
}
