import net from 'node:net';
import { HeraldFactory, type HeraldApplication, type HeraldApplicationOptions } from 'herald';

/** A log line captured by {@link memoryLogger}. */
export interface LogLine {
  level: 'log' | 'error' | 'warn';
  args: unknown[];
}

/** A logger that keeps what it is told, to assert on logging without printing. */
export function memoryLogger() {
  const lines: LogLine[] = [];
  return {
    lines,
    log: (...args: unknown[]) => lines.push({ level: 'log', args }),
    error: (...args: unknown[]) => lines.push({ level: 'error', args }),
    warn: (...args: unknown[]) => lines.push({ level: 'warn', args }),
  };
}

/** Creates the app for `module` (silent by default) and listens on 127.0.0.1, port 0. */
export async function startApp(
  module: new (...args: any[]) => unknown,
  options: HeraldApplicationOptions = {},
  configure?: (app: HeraldApplication) => void,
): Promise<{ app: HeraldApplication; url: string }> {
  const app = await HeraldFactory.create(module, { logger: false, ...options });
  configure?.(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: app.getUrl() };
}

/** Sends raw bytes on a fresh socket and resolves with everything received until the server closes it. */
export function rawRequest(url: string, request: string | Buffer, ms = 30_000): Promise<string> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`no close within ${ms} ms; got ${Buffer.concat(chunks).toString('latin1')}`),
      );
    }, ms);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

/**
 * Sends raw bytes on a fresh socket and resolves with what was received once it contains `needle`
 * (a stream stays open, so this does not wait for the server to close), then destroys the socket.
 */
export function rawUntil(
  url: string,
  request: string,
  needle: RegExp,
  ms = 30_000,
): Promise<string> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no ${needle} within ${ms} ms; got ${text}`));
    }, ms);
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      if (needle.test(text)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', () => undefined);
  });
}
