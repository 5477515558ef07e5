// A round-robin HTTP forwarder, as a load balancer in front of several app instances: each
// request goes to the next instance, byte for byte (Stripe's webhooks are signed on the raw body).
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Balancer = {
  url: string;
  /** Where requests go, in turn; set once the instances answer. */
  targets: string[];
  /** How many requests each target was given, by origin. */
  served: Map<string, number>;
  close(): Promise<void>;
};

export async function startBalancer(): Promise<Balancer> {
  let turn = 0;
  const balancer = { targets: [] as string[], served: new Map<string, number>() } as Balancer;
  const server = http.createServer((req, res) => {
    const target = balancer.targets[turn++ % balancer.targets.length];
    if (!target) return void res.writeHead(503).end("no instance to forward to");
    balancer.served.set(target, (balancer.served.get(target) ?? 0) + 1);
    const upstream = http.request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.headersSent || res.writeHead(502).end("the instance did not answer"));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  balancer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  balancer.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return balancer;
}
