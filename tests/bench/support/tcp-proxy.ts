// A small TCP proxy on 127.0.0.1 standing in for the load balancer in front of several server
// processes. Each client connection is piped whole to one backend for its lifetime, which is what
// makes it sticky: with the WebSocket transport a Socket.IO session is one TCP connection, and an
// HTTP keep-alive connection stays on its backend too.
//   round-robin — new connections take the backends in turn (a backend that refuses is skipped);
//   failover    — new connections go to the first backend that accepts, as nginx does with
//                 `backup` servers: kill the first and reconnecting clients land on the next.
// When a backend dies, the proxy drops the client connections it carried, so clients notice at once.
// `setBackends` switches the targets of new connections (a test holds clients away, then lets them in).
// Run as a script it is its own process (PROXY_BACKENDS=3001,3002 PROXY_MODE=round-robin PORT=…), so
// a benchmark can account for its CPU apart from the servers' and the clients'.
import net from 'node:net';
import { pathToFileURL } from 'node:url';

export interface TcpProxy {
  url: string;
  port: number;
  /** Client connections currently piped to each backend port. */
  open(): Map<number, number>;
  /** The backends new connections go to from now on (open connections stay where they are). */
  setBackends(ports: number[]): void;
  close(): Promise<void>;
}

export async function startTcpProxy(opts: {
  backends: number[];
  mode: 'round-robin' | 'failover';
  host?: string;
  port?: number;
}): Promise<TcpProxy> {
  const host = opts.host ?? '127.0.0.1';
  let next = 0;
  let backends = [...opts.backends];
  const live = new Set<net.Socket>();
  const perBackend = new Map<number, number>();

  /** Connect to the backends in order starting at `first`; each is tried once. */
  const connect = (first: number): Promise<{ upstream: net.Socket; port: number } | null> =>
    new Promise((resolve) => {
      const targets = backends;
      const attempt = (k: number) => {
        if (k >= targets.length) return resolve(null);
        const port = targets[(first + k) % targets.length]!;
        const upstream = net.connect({ host, port });
        upstream.setNoDelay(true);
        const fail = () => {
          upstream.destroy();
          attempt(k + 1);
        };
        upstream.once('error', fail);
        upstream.once('connect', () => {
          upstream.off('error', fail);
          resolve({ upstream, port });
        });
      };
      attempt(0);
    });

  const server = net.createServer((client) => {
    client.setNoDelay(true);
    client.pause();
    live.add(client);
    const first = opts.mode === 'round-robin' ? next++ : 0;
    const cleanup = () => live.delete(client);
    client.once('close', cleanup);
    client.on('error', () => client.destroy());
    void connect(first).then((picked) => {
      if (!picked || client.destroyed) {
        picked?.upstream.destroy();
        client.destroy();
        return;
      }
      const { upstream, port } = picked;
      perBackend.set(port, (perBackend.get(port) ?? 0) + 1);
      live.add(upstream);
      const done = () => {
        if (live.delete(upstream)) perBackend.set(port, perBackend.get(port)! - 1);
        client.destroy();
        upstream.destroy();
      };
      upstream.on('error', done);
      upstream.on('close', done);
      client.on('close', done);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    open: () => new Map(perBackend),
    setBackends(ports) {
      backends = [...ports];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of live) s.destroy();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const proxy = await startTcpProxy({
    backends: (process.env.PROXY_BACKENDS ?? '').split(',').filter(Boolean).map(Number),
    mode: process.env.PROXY_MODE === 'failover' ? 'failover' : 'round-robin',
    port: Number(process.env.PORT ?? 0),
  });
  console.log(`proxy listening on ${proxy.url}`);
  process.on('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
}
