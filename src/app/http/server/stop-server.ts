import type { SseServer } from '../../../connection/index.js';
import type { ServerHandle } from './create-server.js';
import type { ShutdownOptions } from './shutdown.js';

/** How long `close()` lets in-flight (non-stream) requests finish before cutting their sockets. */
const CLOSE_GRACE_MS = 5_000;
/** How often a closing app closes keep-alive sockets that have turned idle. */
const IDLE_SWEEP_MS = 25;

/**
 * @internal The HTTP half of a graceful close: stops accepting, ends every stream with its
 * `retry:` hint, lets in-flight requests finish (cut after 5 s or half `timeout`), and resolves
 * once the server has closed.
 */
export async function stopServer(
  handle: ServerHandle,
  sse: SseServer,
  shutdown: Required<ShutdownOptions>,
): Promise<void> {
  // HTTP/2 sessions get a GOAWAY: their clients open new streams elsewhere.
  const stopped = handle.server.listening
    ? new Promise<void>((resolve) => handle.close(resolve))
    : Promise.resolve();
  await sse.closeAll({ retry: shutdown.retry, jitter: shutdown.retryJitter });
  // A keep-alive socket turns idle only once its last response has finished flushing, which is
  // after the streams report closed and after in-flight requests end: sweep until all are gone.
  handle.closeIdle();
  const sweep = setInterval(() => handle.closeIdle(), IDLE_SWEEP_MS);
  const grace = Math.min(CLOSE_GRACE_MS, shutdown.timeout / 2);
  const force = setTimeout(() => handle.closeAll(), grace);
  sweep.unref();
  force.unref();
  await stopped;
  clearInterval(sweep);
  clearTimeout(force);
}
