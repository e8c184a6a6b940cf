import net from 'node:net';

interface Link {
  client: net.Socket;
  upstream: net.Socket;
  /** The connection sent an XREAD: it is a live feed. */
  feed: boolean;
}

/**
 * A TCP proxy in front of a Redis, standing in for the network path of one Herald process:
 * - `hold('feeds')`: from then on, replies to feed connections (those that sent an XREAD) are not
 *   passed on, as if the process had not read them yet when its master died. Publishes and their
 *   acknowledgements still pass. `hold('all')`: nothing from the server is passed on (in front
 *   of a replica's link to its master: the replica lags, its master still acknowledges writes).
 * - `failTo(port)`: the master is gone; every connection is cut (what was held never arrives) and
 *   new ones go to the promoted replica on `port`, as a failover's address change would.
 */
export class FailoverProxy {
  readonly port: number;
  #server: net.Server;
  #target: number;
  #hold: 'feeds' | 'all' | undefined;
  #links = new Set<Link>();

  private constructor(server: net.Server, port: number, target: number) {
    this.#server = server;
    this.port = port;
    this.#target = target;
  }

  static async start(target: number): Promise<FailoverProxy> {
    let proxy: FailoverProxy | undefined;
    const server = net.createServer((client) => proxy!.#link(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new FailoverProxy(server, (server.address() as net.AddressInfo).port, target);
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  hold(what: 'feeds' | 'all'): void {
    this.#hold = what;
  }

  failTo(port: number): void {
    this.#target = port;
    this.#hold = undefined;
    for (const link of this.#links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    this.#links.clear();
  }

  async close(): Promise<void> {
    this.failTo(this.#target);
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #link(client: net.Socket): void {
    const upstream = net.connect(this.#target, '127.0.0.1');
    const link: Link = { client, upstream, feed: false };
    this.#links.add(link);
    client.on('data', (chunk: Buffer) => {
      if (!link.feed && /xread/i.test(chunk.toString('latin1'))) link.feed = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (this.#hold === 'all' || (link.feed && this.#hold === 'feeds')) return;
      client.write(chunk);
    });
    const cut = (): void => {
      this.#links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', cut);
      socket.on('close', cut);
    }
  }
}
