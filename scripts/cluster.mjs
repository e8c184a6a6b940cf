// Starts several demo processes on consecutive ports, sharing one Redis-backed hub, to show that
// a publish on any process reaches the pages of every process, and that a page moved to another
// port resumes with its Last-Event-ID. Only the first process publishes the notifications
// (DEMO_PUBLISH=0 for the others): they all share the hub's topics, so each would send a copy.
// Usage: npm run build:test && node scripts/cluster.mjs [processes=3] [firstPort=3000]
// Redis: HERALD_REDIS_URL (default redis://127.0.0.1:6379), key prefix HERALD_REDIS_PREFIX (default
// herald-demo). Ctrl-C stops them all.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const count = Number(process.argv[2] ?? 3);
const firstPort = Number(process.argv[3] ?? 3000);
const redisUrl = process.env.HERALD_REDIS_URL || 'redis://127.0.0.1:6379';

const children = [];
for (let i = 0; i < count; i++) {
  const port = firstPort + i;
  const child = spawn(process.execPath, ['build/examples/demo/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      HERALD_REDIS_URL: redisUrl,
      DEMO_PUBLISH: i === 0 ? '1' : '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`[${port}] ${line}`));
  }
  child.on('exit', (code, signal) => console.log(`[${port}] exited (${signal ?? code})`));
  children.push(child);
}
console.log(
  `${count} Herald demo processes on ports ${firstPort}-${firstPort + count - 1}, hub log in ${redisUrl};` +
    ` ${firstPort} publishes the notifications`,
);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of children) child.kill('SIGTERM');
  });
}
