/**
 * The HTTP/2 scenario starts a server with `BENCH_TLS_KEY` and `BENCH_TLS_CERT` (PEM text, a
 * self-signed certificate the runner made): it then serves HTTPS with HTTP/2 and HTTP/1.1 on one
 * port (ALPN). Undefined when not set: the plain HTTP/1.1 scenarios.
 */
export function benchTls(): { key: string; cert: string } | undefined {
  const key = process.env.BENCH_TLS_KEY;
  const cert = process.env.BENCH_TLS_CERT;
  return key !== undefined && cert !== undefined ? { key, cert } : undefined;
}
