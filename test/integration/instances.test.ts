// Two app instances on one PostgreSQL database, as behind a load balancer (issue 18): the real
// server.ts twice, each with its own job workers, page cache and memory. Buyers are spread over
// both, Stripe's webhooks reach them in turn through a balancer, and what one instance counts or
// changes, the other sees: seats (never oversold), rate limits, and an organiser's edit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentEvent } from "~/domain/event.server";
import { sessionForEditing } from "~/domain/agenda-admin.server";
import { db } from "~/services/db.server";
import { startStripeEmulator, type StripeEmulator } from "../stripe-emulator/server";
import { startBalancer, type Balancer } from "../support/balancer";
import { TEST_ADMIN } from "../support/constants";
import { seats, ticketType } from "../support/factories";
import { freePort } from "../support/postgres";
import { startServerProcess, type ServerProcess } from "../support/server-process";

const WEBHOOK_SECRET = "whsec_instances_tests";
/** Public pages are served from each instance's memory for this long, unless an edit clears them. */
const PAGE_CACHE_SECONDS = 60;

let emulator: StripeEmulator;
let webhooks: Balancer;
let a: ServerProcess | undefined;
let b: ServerProcess | undefined;
const instances = () => [a!, b!];

async function startInstance() {
  const port = await freePort();
  return startServerProcess(port, {
    NODE_ENV: "production",
    APP_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: process.env.DATABASE_URL!,
    SESSION_SECRET: "instances-tests-session-secret-instances-tests",
    STRIPE_SECRET_KEY: "sk_test_instances_tests",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: emulator.url,
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    LOG_LEVEL: "warn",
    PAGE_CACHE_SECONDS: String(PAGE_CACHE_SECONDS),
  });
}

beforeAll(async () => {
  webhooks = await startBalancer();
  emulator = await startStripeEmulator({ webhookSecret: WEBHOOK_SECRET, webhookUrl: `${webhooks.url}/webhooks/stripe` });
  // One after the other: the first start builds the app if build/ is missing or stale.
  a = await startInstance();
  b = await startInstance();
  webhooks.targets = [a.origin, b.origin];
}, 180_000);

afterAll(async () => {
  // Their database is dropped with the test file's: nothing to stop cleanly.
  await Promise.all([a?.kill("SIGKILL"), b?.kill("SIGKILL")]);
  await emulator?.stop();
  await webhooks?.close();
});

/** A form post as a browser on that instance's own pages sends it, from `ip`. */
function post(instance: ServerProcess, path: string, fields: Record<string, string>, ip: string, cookie?: string) {
  return fetch(`${instance.origin}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: instance.origin,
      "X-Forwarded-For": ip,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields),
  });
}

/** The checkout page of one ticket of this type, which its form posts back to. */
const checkoutPage = (slug: string) => `/tickets/checkout?quantities.${slug}=1`;

function checkoutForm(slug: string, i: number) {
  return {
    [`quantities.${slug}`]: "1",
    "buyer.name": `Buyer ${i}`,
    "buyer.email": `buyer${i}@instances.example`,
    "attendees[0].name": `Attendee ${i}`,
    "attendees[0].email": `attendee${i}@instances.example`,
  };
}

type Buyer = { instance: number; outcome: "paid" | "refused" };

/** One buyer on instance `i % 2`: the plain checkout form, the payment step to Stripe's page, and paying there. */
async function buy(slug: string, i: number): Promise<Buyer> {
  const instance = instances()[i % 2]!;
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const held = await post(instance, checkoutPage(slug), checkoutForm(slug, i), ip);
  await held.arrayBuffer();
  const payStep = held.status === 303 ? /\/orders\/[\w-]+\/pay\?k=[\w-]+$/.exec(held.headers.get("location") ?? "")?.[0] : undefined;
  if (!payStep) return { instance: i % 2, outcome: "refused" };
  const toStripe = await fetch(new URL(payStep, instance.origin), { headers: { "X-Forwarded-For": ip }, redirect: "manual" });
  await toStripe.arrayBuffer();
  const sessionId = /\/pay\/(cs_\w+)/.exec(toStripe.headers.get("location") ?? "")?.[1];
  if (!sessionId) throw new Error(`buyer ${i} held a seat but the payment step answered ${toStripe.status}`);
  emulator.pay(sessionId, "success");
  return { instance: i % 2, outcome: "paid" };
}

/** For a failing test's message: the type's orders by status, Stripe's deliveries, what the instances logged. */
async function whereThingsStand(typeId: string) {
  const orders = await db().order.groupBy({ by: ["status"], where: { items: { some: { ticketTypeId: typeId } } }, _count: { _all: true } });
  const deliveries: Record<string, number> = {};
  for (const d of emulator.deliveries()) deliveries[`${d.type} ${d.status ?? d.error}`] = (deliveries[`${d.type} ${d.status ?? d.error}`] ?? 0) + 1;
  return JSON.stringify({ orders: orders.map((o) => `${o.status} ${o._count._all}`), deliveries, seats: await seats(typeId) }) + `\nA:\n${a!.output().slice(-3_000)}\nB:\n${b!.output().slice(-3_000)}`;
}

describe("two instances on one database", () => {
  // First, while neither instance has other work: the rush leaves emails and invoices to render.
  it("show an organiser's edit on both within a second, though each keeps public pages for a minute", async () => {
    const event = await currentEvent();
    const session = await db().session.findFirstOrThrow({ where: { eventId: event.id, status: "PUBLISHED" }, select: { id: true, slug: true, title: true } });
    const page = (instance: ServerProcess) => fetch(`${instance.origin}/sessions/${session.slug}`).then((r) => r.text());
    const login = await post(a!, "/login", { email: TEST_ADMIN.email, password: TEST_ADMIN.password, redirectTo: "" }, "203.0.113.60");
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;

    // Each instance renders the page once and then serves it from memory: a change made in the
    // database behind the app's back does not show.
    for (const instance of instances()) expect(await page(instance)).toContain(session.title);
    await db().session.update({ where: { id: session.id }, data: { title: "A title written behind the app's back" } });
    for (const instance of instances()) expect(await page(instance)).toContain(session.title);

    // The organiser edits the title on instance A, as the admin form sends it.
    const editing = (await sessionForEditing(event, session.id))!;
    const title = "Heavy-rare-earth-free magnets, revisited";
    const form: Record<string, string> = {
      title,
      summary: editing.summary,
      kind: editing.kind,
      status: editing.status,
      day: editing.day,
      start: editing.start,
      end: editing.end,
      trackId: editing.trackId ?? "",
      roomId: editing.roomId ?? "",
      ...Object.fromEntries(editing.speakers.flatMap((s, i) => [[`speakers[${i}].speakerId`, s.speakerId], [`speakers[${i}].role`, s.role]])),
    };
    const saved = await post(a!, `/admin/sessions/${session.id}`, form, "203.0.113.60", cookie);
    const savedAt = performance.now();
    expect(saved.status, await saved.text()).toBe(302);
    expect(saved.headers.get("location")).toContain("done=saved");

    const shownAfterMs = await Promise.all(
      instances().map(async (instance) => {
        while (!(await page(instance)).includes(title)) {
          if (performance.now() - savedAt > 5_000) return Infinity;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return Math.round(performance.now() - savedAt);
      }),
    );
    process.stderr.write(`two instances, organiser's edit shown after: A ${shownAfterMs[0]} ms, B ${shownAfterMs[1]} ms\n`);
    expect(shownAfterMs.every((ms) => ms < 1_000)).toBe(true);
  }, 60_000);

  it("count a client's checkout attempts on both against one allowance", async () => {
    const type = await ticketType({ capacity: 1_000, priceCents: 10_000 });
    const ip = "198.51.100.77";
    const statuses: number[] = [];
    // The checkout limit allows 20 attempts in 10 minutes per address: 10 here, 10 there.
    for (let i = 0; i < 20; i++) statuses.push((await post(instances()[i % 2]!, checkoutPage(type.slug), checkoutForm(type.slug, 10_000 + i), ip)).status);
    expect(statuses).toEqual(Array(20).fill(303));
    for (const instance of instances()) {
      const refused = await post(instance, checkoutPage(type.slug), checkoutForm(type.slug, 10_100), ip);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(500);
      expect(await refused.text()).toContain("Too many checkout attempts from your network. Please try again in 10 minutes.");
    }
    // Another address still buys.
    expect((await post(b!, checkoutPage(type.slug), checkoutForm(type.slug, 10_200), "198.51.100.78")).status).toBe(303);
  }, 60_000);

  it("count an account's failed logins from one address on both, never the successful ones", async () => {
    const wrong = { email: TEST_ADMIN.email, password: "not-the-password", redirectTo: "" };
    const right = { email: TEST_ADMIN.email, password: TEST_ADMIN.password, redirectTo: "" };
    // Successful logins never count: ten from one address, on both.
    for (let i = 0; i < 10; i++) expect((await post(instances()[i % 2]!, "/login", right, "203.0.113.50")).status).toBe(302);
    // Eight failures per account and address: four on each.
    const failures: number[] = [];
    for (let i = 0; i < 8; i++) failures.push((await post(instances()[i % 2]!, "/login", wrong, "203.0.113.51")).status);
    expect(failures).toEqual(Array(8).fill(401));
    for (const instance of instances()) {
      const locked = await post(instance, "/login", right, "203.0.113.51");
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await locked.text()).toContain("Too many failed attempts");
    }
  }, 60_000);

  it("sell 100 seats to a rush of 500 buyers spread over both: none oversold, every paid order with its ticket", async () => {
    const type = await ticketType({ capacity: 100, priceCents: 49_500 });
    const started = performance.now();
    const buyers = await Promise.all(Array.from({ length: 500 }, (_, i) => buy(type.slug, i)));
    const answeredMs = Math.round(performance.now() - started);
    const paidAtStripe = () => new Set(emulator.sessions().filter((s) => s.payment_status === "paid").map((s) => s.id));
    const settled = async () => {
      const paid = paidAtStripe();
      const orders = await db().order.findMany({ where: { stripeSessionId: { in: [...paid] } }, select: { status: true } });
      return orders.filter((o) => o.status === "PAID").length === paid.size;
    };
    // Generous for a machine shared with other work: each fulfilment takes the event's invoice
    // counter last, so the two instances' fulfilments queue for it (seconds each under heavy load).
    const until = performance.now() + 120_000;
    while (!(await settled())) {
      if (performance.now() > until) throw new Error(`payments not settled within 120 s: ${await whereThingsStand(type.id)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const elapsedMs = Math.round(performance.now() - started);

    const orders = await db().order.findMany({
      where: { items: { some: { ticketTypeId: type.id } } },
      select: { status: true, stripeSessionId: true, _count: { select: { tickets: true } } },
    });
    const paid = orders.filter((o) => o.status === "PAID");
    const paidSessions = paidAtStripe();
    const { held, sold, capacity } = await seats(type.id);
    const tickets = await db().ticket.count({ where: { ticketTypeId: type.id } });
    const heldOn = [0, 1].map((n) => buyers.filter((buyer) => buyer.instance === n && buyer.outcome === "paid").length);
    process.stderr.write(
      `two instances, rush: ${JSON.stringify({ buyers: 500, capacity, sold, held, tickets, paidOrders: paid.length, paidOnA: heldOn[0], paidOnB: heldOn[1], webhooksTo: [...webhooks.served.values()], answeredMs, settledMs: elapsedMs })}\n`,
    );

    expect(sold + held).toBeLessThanOrEqual(capacity);
    expect(paid.length).toBe(100);
    expect({ sold, held, tickets }).toEqual({ sold: 100, held: 0, tickets: 100 });
    expect(paid.filter((o) => o._count.tickets !== 1)).toEqual([]);
    expect(paid.filter((o) => !paidSessions.has(o.stripeSessionId!))).toEqual([]);
    expect(buyers.filter((buyer) => buyer.outcome === "paid")).toHaveLength(100);
    // Both instances held seats, and both fulfilled payments from Stripe's webhooks.
    expect(heldOn.every((n) => n > 0)).toBe(true);
    expect([...webhooks.served.values()].every((n) => n > 0)).toBe(true);
    expect(webhooks.served.size).toBe(2);
  }, 200_000);
});
