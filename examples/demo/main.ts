import { startDemo } from './start-demo.js';

// `npm start`: the demo on PORT (default 3000), until Ctrl-C. DEMO_PUBLISH=0: this process does not
// publish the notifications (scripts/cluster.mjs lets only its first process publish them).
const port = Number(process.env.PORT ?? 3000);
const publish = process.env.DEMO_PUBLISH !== '0';
const app = await startDemo({
  port,
  publish,
  ...(process.env.HOST ? { host: process.env.HOST } : {}),
});
const { port: bound } = new URL(app.getUrl());
console.log(`Herald demo: http://localhost:${bound}/`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: closing`);
    void app.close(signal);
  });
}
