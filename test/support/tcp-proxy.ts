// A TCP proxy between the app and PostgreSQL, so that a test can take the database away the way
// an outage does: cut() ends every open connection and refuses new ones (nothing listens on the
// port, as when the server is down), restore() listens again on the same port.
import net from "node:net";

export type TcpProxy = {
  /** The proxy's port on 127.0.0.1. */
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string;
  /** Connections open through the proxy now. */
  open(): number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
};

/** The socket (`path`) or TCP address (`host`, `port`) a PostgreSQL URL names. */
export function addressOf(databaseUrl: string): net.NetConnectOpts {
  const url = new URL(databaseUrl);
  const host = decodeURIComponent(url.hostname);
  // A host that is a folder means the server's Unix socket in it (as libpq reads it).
  return host.startsWith("/") ? { path: `${host}/.s.PGSQL.${url.port || 5432}` } : { host, port: Number(url.port || 5432) };
}

export async function startTcpProxy(target: net.NetConnectOpts): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    track(client);
    track(upstream);
    // Either side ending or failing ends the other, as a broken network path would.
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    through(url) {
      const parsed = new URL(url);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    open: () => sockets.size / 2,
    async cut() {
      const closing = stopListening();
      for (const socket of sockets) socket.destroy();
      await closing;
    },
    restore: () => listen(port),
    async close() {
      const closing = stopListening();
      for (const socket of sockets) socket.destroy();
      await closing;
    },
  };
}
