// GET /metrics: Prometheus's text format, parsed as a scraper would, with this instance's requests
// and queues and the figures every instance shares, and nothing for a visitor.
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import { fulfilOrder } from "~/domain/fulfilment.server";
import { placeOrder } from "~/domain/orders.server";
import { loader } from "~/routes/metrics";
import { mayScrape, observeRequest, requestKind } from "~/services/metrics.server";
import { order, seededEvent, ticketType } from "../support/factories";
import { args } from "../support/outcomes";

type Sample = { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string };
type Family = { name: string; type: string; metrics: Sample[] };

async function scrape(clientIp = "10.0.0.5") {
  const response = (await loader(args(new Request("http://localhost/metrics"), {}, { clientIp }))) as Response;
  const text = response.status === 200 ? await response.clone().text() : "";
  return { response, text, families: text ? (parsePrometheusTextFormat(text) as Family[]) : [] };
}

const value = (families: Family[], name: string, labels: Record<string, string> = {}) => {
  const family = families.find((f) => f.name === name);
  const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return sample?.value === undefined ? undefined : Number(sample.value);
};

describe("the metrics endpoint", () => {
  it("answers a scraper on a private network in Prometheus's format, never cached", async () => {
    const { response, families } = await scrape("10.0.0.5");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(value(families, "re3m_database_up")).toBe(1);
    // The process's own figures come with it.
    expect(value(families, "process_resident_memory_bytes")).toBeGreaterThan(0);
    for (const state of ["queued", "running", "failed"]) expect(value(families, "re3m_jobs", { state })).toBeGreaterThanOrEqual(0);
    expect(value(families, "re3m_checkout_queue_waiting")).toBe(0);
  });

  it("finds nothing for a visitor who came through the proxy, or a scraper without the token", async () => {
    for (const ip of ["203.0.113.9", "::ffff:198.51.100.4", "2001:db8::1", "not an address", ""]) {
      const { response } = await scrape(ip);
      expect(response.status, ip).toBe(404);
      expect(await response.text()).not.toContain("re3m_");
    }
    // With a token set, the address no longer opens it: only the token does.
    const token = "a-long-random-metrics-token";
    expect(mayScrape(`Bearer ${token}`, "203.0.113.9", token)).toBe(true);
    expect(mayScrape(null, "127.0.0.1", token)).toBe(false);
    expect(mayScrape(`Bearer ${token}x`, "127.0.0.1", token)).toBe(false);
    expect(mayScrape(`Basic ${token}`, "127.0.0.1", token)).toBe(false);
    expect(mayScrape(null, "127.0.0.1", undefined)).toBe(true);
    expect(mayScrape(null, "::1", undefined)).toBe(true);
    expect(mayScrape(null, "192.168.4.20", undefined)).toBe(true);
    expect(mayScrape(null, "172.32.0.1", undefined)).toBe(false);
  });

  it("counts the seats held and sold, the orders and the emails waiting, as they change", async () => {
    const event = await seededEvent();
    const before = (await scrape()).families;
    const type = await ticketType({ capacity: 7 });
    const paid = await placeOrder(event, order({ [type.slug]: 2 }, { code: "SPEAKERGUEST" }), new Date());
    await fulfilOrder(paid.id, "free", new Date());
    await placeOrder(event, order({ [type.slug]: 1 }), new Date());
    const after = (await scrape()).families;
    const delta = (name: string, labels: Record<string, string>) => value(after, name, labels)! - value(before, name, labels)!;
    expect(delta("re3m_seats", { state: "capacity" })).toBe(7);
    expect(delta("re3m_seats", { state: "sold" })).toBe(2);
    expect(delta("re3m_seats", { state: "held" })).toBe(1);
    expect(delta("re3m_orders", { status: "PAID" })).toBe(1);
    expect(delta("re3m_orders", { status: "PENDING" })).toBe(1);
    // A receipt and a ticket email per attendee, queued by the fulfilment.
    expect(delta("re3m_outbox_emails", { status: "PENDING" })).toBeGreaterThanOrEqual(3);
    expect(value(after, "re3m_outbox_oldest_pending_seconds")).toBeGreaterThanOrEqual(0);
  });

  it("counts answered requests by kind and status, with their durations", async () => {
    expect(requestKind("/tickets/checkout.data")).toBe("checkout");
    expect(requestKind("/orders/RE3M-ABC/pay")).toBe("payment");
    expect(requestKind("/admin/orders.data")).toBe("admin");
    expect(requestKind("/build/_shared/chunk-X.js")).toBe("asset");
    expect(requestKind("/agenda")).toBe("page");
    expect(requestKind("/speakers.data")).toBe("data");
    const before = value((await scrape()).families, "re3m_http_requests_total", { kind: "checkout", status: "409" }) ?? 0;
    observeRequest("POST", "/tickets/checkout", 409, 0.2);
    observeRequest("POST", "/tickets/checkout", 409, 0.3);
    const { families } = await scrape();
    expect(value(families, "re3m_http_requests_total", { method: "POST", kind: "checkout", status: "409" })).toBe(before + 2);
    expect(families.find((f) => f.name === "re3m_http_request_duration_seconds")?.type).toBe("HISTOGRAM");
    // This parser keeps a histogram's buckets but not its labels: its lines are read as they are.
    const { text } = await scrape();
    const line = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
    expect(line('re3m_http_request_duration_seconds_count\\{kind="checkout"\\}')).toBeGreaterThanOrEqual(2);
    expect(line('re3m_http_request_duration_seconds_bucket\\{le="0.25",kind="checkout"\\}')).toBeGreaterThanOrEqual(1);
    expect(line('re3m_http_request_duration_seconds_bucket\\{le="0.1",kind="checkout"\\}')).toBe(0);
  });
});
