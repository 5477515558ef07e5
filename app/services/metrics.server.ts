// Figures for Prometheus (GET /metrics): this instance's requests, its checkout and webhook queues
// and its process; the figures all instances share (outbox, jobs, orders, seats) are read from the
// database when scraped (app/domain/operations.server.ts).
import { BlockList, isIPv4 } from "node:net";
import { timingSafeEqual } from "node:crypto";
import client from "prom-client";
import { checkoutQueue, webhookQueue } from "./work-queue.server";

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

/** Few values each, so that a label never grows with the number of pages, people or orders. */
export type RequestKind = "checkout" | "payment" | "webhook" | "data" | "asset" | "admin" | "sponsor" | "attendee" | "health" | "page";

const requests = new client.Counter({
  name: "re3m_http_requests_total",
  help: "Requests answered, by kind of request and status code.",
  labelNames: ["method", "kind", "status"] as const,
  registers: [registry],
});
const durations = new client.Histogram({
  name: "re3m_http_request_duration_seconds",
  help: "Time from a request's arrival to its answer's last byte, by kind of request.",
  labelNames: ["kind"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10],
  registers: [registry],
});

for (const [name, queue] of [["checkout", checkoutQueue], ["webhook", webhookQueue]] as const) {
  new client.Gauge({
    name: `re3m_${name}_queue_active`,
    help: `${name === "checkout" ? "Checkout posts" : "Stripe events"} being worked on by this instance now.`,
    registers: [registry],
    collect() {
      this.set(queue.stats().active);
    },
  });
  new client.Gauge({
    name: `re3m_${name}_queue_waiting`,
    help: `${name === "checkout" ? "Checkout posts" : "Stripe events"} waiting for a turn on this instance now.`,
    registers: [registry],
    collect() {
      this.set(queue.stats().waiting);
    },
  });
}

export function requestKind(path: string): RequestKind {
  if (path === "/tickets/checkout" || path === "/tickets/checkout.data") return "checkout";
  if (/^\/orders\/[^/]+\/pay$/.test(path)) return "payment";
  if (path === "/webhooks/stripe") return "webhook";
  if (path === "/healthz" || path === "/metrics") return "health";
  if (path.startsWith("/build/") || path.startsWith("/uploads/") || /\.(css|js|png|svg|ico|woff2?|webmanifest)$/.test(path)) return "asset";
  if (/^\/admin(\/|$|\.data)/.test(path)) return "admin";
  if (/^\/sponsor(\/|$|\.data)/.test(path)) return "sponsor";
  if (/^\/(my|orders)\//.test(path)) return "attendee";
  if (path.endsWith(".data")) return "data";
  return "page";
}

/** Counts one answered request (the request log calls it). */
export function observeRequest(method: string, path: string, status: number, seconds: number) {
  const kind = requestKind(path);
  requests.inc({ method: method === "HEAD" ? "GET" : method, kind, status: String(status) });
  durations.observe({ kind }, seconds);
}

/** The figures read from the database, set just before a scrape is answered. */
export const shared = {
  databaseUp: new client.Gauge({ name: "re3m_database_up", help: "1 when this instance reached the database while answering this scrape.", registers: [registry] }),
  outbox: new client.Gauge({ name: "re3m_outbox_emails", help: "Emails in the outbox, by status (all instances).", labelNames: ["status"] as const, registers: [registry] }),
  oldestPendingEmail: new client.Gauge({ name: "re3m_outbox_oldest_pending_seconds", help: "Age of the oldest email waiting to be sent (0 when none).", registers: [registry] }),
  jobs: new client.Gauge({ name: "re3m_jobs", help: "Background jobs, by state: queued (due or waiting to retry), running, failed (dead letters).", labelNames: ["state"] as const, registers: [registry] }),
  orders: new client.Gauge({ name: "re3m_orders", help: "Orders of the public edition, by status.", labelNames: ["status"] as const, registers: [registry] }),
  seats: new client.Gauge({ name: "re3m_seats", help: "Seats of the public edition: capacity, held (unpaid holds) and sold.", labelNames: ["state"] as const, registers: [registry] }),
};

// Loopback and the private ranges: where a Prometheus server scrapes from, never a visitor who
// came through the reverse proxy (its address is the visitor's, from X-Forwarded-For).
const privateNetworks = new BlockList();
for (const [address, prefix] of [["127.0.0.0", 8], ["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16], ["169.254.0.0", 16]] as const) {
  privateNetworks.addSubnet(address, prefix, "ipv4");
}
for (const [address, prefix] of [["::1", 128], ["fc00::", 7], ["fe80::", 10]] as const) privateNetworks.addSubnet(address, prefix, "ipv6");

function isPrivateAddress(address: string) {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  try {
    return privateNetworks.check(ip, isIPv4(ip) ? "ipv4" : "ipv6");
  } catch {
    return false;
  }
}

/** With a token set, the scrape must carry it; without one, it must come from a private network. */
export function mayScrape(authorization: string | null, clientIp: string | undefined, token: string | undefined) {
  if (token) {
    const given = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "");
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  return clientIp !== undefined && isPrivateAddress(clientIp);
}
