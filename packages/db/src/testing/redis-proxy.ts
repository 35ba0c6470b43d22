import net from "node:net";

/**
 * A TCP proxy in front of the real Redis that a test can cut: `stop()` closes the listener
 * and every connection (Redis "goes down" for this client only, not for other test files);
 * `blackhole()` keeps accepting but never answers (a hung Redis); `freeze()` keeps every open
 * connection open but stops passing bytes either way (a network partition without a reset), and
 * `thaw()` lets them flow again.
 */
export async function startRedisProxy(target = { host: "127.0.0.1", port: 6379 }) {
  const sockets = new Set<net.Socket>();
  let mode: "forward" | "blackhole" = "forward";
  const pipes: { client: net.Socket; upstream: net.Socket }[] = [];
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    if (mode === "blackhole") return;
    const upstream = net.connect(target);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.pipe(upstream).pipe(client);
    pipes.push({ client, upstream });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    /** Drop every connection and refuse new ones. */
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        dropAll();
      });
    },
    /** Hold every open connection silent: bytes sent either way wait until `thaw()`. */
    freeze() {
      for (const { client, upstream } of pipes) {
        client.pause();
        upstream.pause();
      }
    },
    thaw() {
      for (const { client, upstream } of pipes) {
        client.resume();
        upstream.resume();
      }
    },
    /** Drop every connection; new ones are accepted and then ignored. */
    blackhole() {
      mode = "blackhole";
      dropAll();
    },
  };
}
