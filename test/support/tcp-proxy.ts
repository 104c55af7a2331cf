import * as net from 'node:net';

/** A TCP port nothing listens on right now (the OS's choice, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Forwards connections on 127.0.0.1:`port` to a real server (the registry, PostgreSQL), so a
 * test can make the server appear at an address, or cut it off for one client only (`cut()`
 * refuses new connections and drops open ones, `restore()` lets them through again), without
 * touching the server itself. `requests` counts the HTTP request lines that went through.
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;
  private open = true;
  readonly requests: string[] = [];
  port = 0;

  private constructor(target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (!this.open) return client.destroy();
      const upstream = net.connect(target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.on('data', (chunk: Buffer) => {
        const line = chunk.toString('latin1', 0, Math.min(chunk.length, 200)).split('\r\n')[0];
        if (/^(GET|POST|PUT|DELETE) \S+ HTTP/.test(line)) this.requests.push(line);
      });
      client.pipe(upstream).pipe(client);
    });
  }

  /** Listens on `port` (0: any free port, then in `proxy.port`). */
  static async start(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(port, '127.0.0.1', resolve);
    });
    proxy.port = (proxy.server.address() as net.AddressInfo).port;
    return proxy;
  }

  cut(): void {
    this.open = false;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.open = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
