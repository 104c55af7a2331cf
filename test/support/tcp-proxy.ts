import * as net from 'node:net';

/**
 * A TCP proxy in front of a real server (the registry, PostgreSQL): a test cuts it to play an
 * outage for one client only (connections are refused and open ones dropped), restores it, and
 * can count what went through (`requests` counts lines starting with an HTTP method and path).
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private open = true;
  readonly requests: string[] = [];

  constructor(private readonly target: { host: string; port: number }) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy & { port: number }> {
    const proxy = new TcpProxy(target);
    const port = await proxy.listen();
    return Object.assign(proxy, { port });
  }

  private listen(): Promise<number> {
    this.server = net.createServer((client) => {
      if (!this.open) return client.destroy();
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('data', (chunk: Buffer) => {
        const line = chunk.toString('latin1', 0, Math.min(chunk.length, 200)).split('\r\n')[0];
        if (/^(GET|POST|PUT|DELETE) \S+ HTTP/.test(line)) this.requests.push(line);
      });
      client.pipe(upstream).pipe(client);
    });
    return new Promise((resolve) =>
      this.server!.listen(0, '127.0.0.1', () =>
        resolve((this.server!.address() as net.AddressInfo).port),
      ),
    );
  }

  /** Refuses new connections and drops open ones. */
  cut(): void {
    this.open = false;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.open = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
