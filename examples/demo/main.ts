import { selfSignedCertificate } from './self-signed.js';
import { startDemo } from './start-demo.js';

// `npm start`: the demo on PORT (default 3000), until Ctrl-C. DEMO_PUBLISH=0: this process does not
// publish the notifications (scripts/cluster.mjs lets only its first process publish them).
// HERALD_TLS=1: HTTPS with HTTP/2 (and HTTP/1.1 on the same port), on a self-signed certificate.
const port = Number(process.env.PORT ?? 3000);
const publish = process.env.DEMO_PUBLISH !== '0';
const app = await startDemo({
  port,
  publish,
  ...(process.env.HOST ? { host: process.env.HOST } : {}),
  ...(process.env.HERALD_TLS === '1' ? { tls: await selfSignedCertificate() } : {}),
});
const { port: bound, protocol } = new URL(app.getUrl());
console.log(`Herald demo: ${protocol}//localhost:${bound}/`);
if (protocol === 'https:') {
  console.log('(a self-signed certificate: accept the browser warning once; the page shows h2)');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: closing`);
    void app.close(signal);
  });
}
