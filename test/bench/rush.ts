// A ticket rush: N buyers at once for K seats, through the real HTTP checkout (form POST ->
// seat hold + PENDING order + Stripe Checkout Session on the emulator), then every held order
// paid through the emulator and fulfilled by webhooks. Oversold must be 0. The rows: browsers
// with JavaScript, plain forms, browsers once more (the server has now seen a rush), browsers
// through a proxy's keep-alive connections, browsers with a seat for everyone (reservations per
// second when nobody is refused), and that once more with Stripe answering in 300 ms. The load,
// the emulator, PostgreSQL and the app share the machine's cores.
import { randomUUID } from "node:crypto";
import http from "node:http";
import pg from "pg";
import { startStripeEmulator } from "../stripe-emulator/server";
import { startAppServer, type Row } from "./support";

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
}

type Client = "browser" | "form";

/**
 * One buyer's form post: on a connection of its own, as from its own browser straight to the app
 * (`agent` false), or on one of a proxy's keep-alive connections to the app (`agent` a pool).
 */
function post(url: string, body: string, headers: Record<string, string>, agent: http.Agent | false) {
  return new Promise<{ status: number; location: string | undefined; text: string }>((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, location: response.headers.location, text }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * `browser`: what Remix's client sends when JavaScript runs: the action as data
 * (`/tickets/checkout.data`, single fetch), a redirect coming back as a 202 whose body names the
 * URL. `form`: a plain HTML form post without JavaScript, answered with a 303 or the whole page
 * re-rendered with the message.
 */
export async function rushBench({ buyers, seats }: { buyers: number; seats: number }): Promise<Row[]> {
  const webhookSecret = "whsec_bench_rush";
  const emulator = await startStripeEmulator({ webhookSecret });
  const app = await startAppServer({ STRIPE_API_BASE: emulator.url, STRIPE_SECRET_KEY: "sk_test_bench", STRIPE_WEBHOOK_SECRET: webhookSecret });
  emulator.setWebhookUrl(`${app.origin}/webhooks/stripe`);
  const sql = new pg.Client({ connectionString: app.databaseUrl });
  await sql.connect();
  const rows: Row[] = [];
  try {
    // A short rush first, not measured, so the measured ones meet a warmed-up server, as a sale
    // that opens on a site people have been browsing would.
    await rush("browser", { buyers: 300, seats: 50, network: 3 });
    await rush("form", { buyers: 300, seats: 50, network: 4 });
    rows.push(await rush("browser", { buyers, seats, network: 1 }));
    rows.push(await rush("form", { buyers, seats, network: 2 }));
    // The first rush after start-up meets code the JIT has not optimised yet; the next does not.
    rows.push(await rush("browser", { buyers, seats, network: 7 }));
    // Deployed behind a load balancer or reverse proxy (DESIGN.md, scale-out), the app does not
    // accept a connection per buyer: the proxy sends requests over a pool of kept-alive
    // connections. 128 of them here; buyers beyond that wait in the proxy, and their latency
    // counts that wait.
    rows.push(await rush("browser", { buyers, seats, network: 8, proxyConnections: 128 }));
    // Reservations per second when no buyer is refused: every request holds seats.
    rows.push(await rush("browser", { buyers, seats: buyers, network: 5 }));
    // The same with Stripe answering in 300 ms, as it does over the internet: buyers wait longer,
    // but a slow payment provider must not slow down how fast seats are held.
    rows.push(await rush("browser", { buyers, seats: buyers, network: 6, stripeMs: 300 }));
  } finally {
    await sql.end();
    await app.stop();
    await emulator.stop();
  }
  return rows;

  async function rush(
    client: Client,
    {
      buyers,
      seats,
      network,
      stripeMs = 0,
      proxyConnections,
    }: { buyers: number; seats: number; network: number; stripeMs?: number; proxyConnections?: number },
  ): Promise<Row> {
    const agent = proxyConnections ? new http.Agent({ keepAlive: true, maxSockets: proxyConnections }) : false;
    emulator.setApiLatency(stripeMs);
    const slug = `rush-${client}-${randomUUID().slice(0, 8)}`;
    const [{ id: typeId }] = (
      await sql.query<{ id: string }>(
        `INSERT INTO "TicketType" (id, "eventId", slug, name, description, includes, "priceCents", capacity, position, "updatedAt")
         SELECT $1, id, $2, 'Rush Pass', 'Benchmark seats', '{}', 49500, $3, 99, now() FROM "Event" LIMIT 1 RETURNING id`,
        [randomUUID(), slug, seats],
      )
    ).rows as [{ id: string }];
    const url = client === "browser" ? `${app.origin}/tickets/checkout.data` : `${app.origin}/tickets/checkout`;

    const latencies: number[] = [];
    const outcome = { held: 0, soldOut: 0, other: 0 };
    let firstHeld = Infinity;
    let lastHeld = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: buyers }, async (_, i) => {
        const body = new URLSearchParams({
          [`quantities.${slug}`]: "1",
          "buyer.name": `Buyer ${i}`,
          "buyer.email": `buyer${i}@rush.example`,
          "attendees[0].name": `Attendee ${i}`,
          "attendees[0].email": `attendee${i}@rush.example`,
        });
        const t0 = performance.now();
        // node:http rather than fetch: the load generator shares the machine's two cores with the
        // server, and fetch costs it about twice the CPU per request.
        const response = await post(url, body.toString(), {
          // Each buyer is its own client for the per-client rate limit, and each run has its own
          // network, so no two buyers share an address.
          "X-Forwarded-For": `10.${network}.${(i >> 8) & 255}.${i & 255}`,
        }, agent).catch(() => null);
        const text = response?.text ?? "";
        const done = performance.now();
        latencies.push(done - t0);
        if (!response) return void outcome.other++;
        const redirected =
          client === "browser"
            ? response.status === 202 && text.includes(`${emulator.url}/`)
            : response.status === 303 && (response.location ?? "").startsWith(emulator.url);
        if (redirected) {
          outcome.held++;
          firstHeld = Math.min(firstHeld, done - started);
          lastHeld = Math.max(lastHeld, done - started);
        } else if (response.status === 409) outcome.soldOut++;
        else outcome.other++;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    emulator.setApiLatency(0);
    if (agent) agent.destroy();

    // Everyone who got a hold pays; the webhooks turn holds into sold seats. A busy server
    // acknowledges some events without handling them and handles them moments later (stored
    // Stripe events), so the seats are counted once none is waiting.
    const paying = performance.now();
    const deliveredBefore = emulator.deliveries().length;
    for (const session of emulator.sessions()) if (session.status === "open") emulator.pay(session.id, "success");
    await emulator.webhooksIdle();
    const handledBy = Date.now() + 300_000;
    while ((await sql.query(`SELECT 1 FROM "StripeEvent" WHERE "handledAt" IS NULL LIMIT 1`)).rowCount) {
      if (Date.now() > handledBy) {
        process.stderr.write("rush: Stripe events still unhandled after 5 minutes; seats sold counts only those handled\n");
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const fulfilledIn = (performance.now() - paying) / 1000;
    // How Stripe saw the app during the payments: its slowest answer, and attempts that failed
    // or timed out (10 s, as Stripe's own limit), which Stripe would send again.
    const deliveries = emulator.deliveries().slice(deliveredBefore);
    const [counts] = (await sql.query<{ held: number; sold: number; capacity: number; tickets: string }>(
      `SELECT held, sold, capacity, (SELECT count(*) FROM "Ticket" WHERE "ticketTypeId" = $1) AS tickets FROM "TicketType" WHERE id = $1`,
      [typeId],
    )).rows;
    // The confirmation emails of this rush are rendered by the server's outbox worker; the next
    // rush starts once they are done, so it measures itself and not the last one's emails.
    const until = Date.now() + 300_000;
    while ((await sql.query(`SELECT 1 FROM "EmailOutbox" WHERE status = 'PENDING' LIMIT 1`)).rowCount) {
      if (Date.now() > until) {
        process.stderr.write("rush: emails still pending after 5 minutes; the next rush shares the machine with them\n");
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    latencies.sort((a, b) => a - b);
    const tickets = Number(counts!.tickets);
    return {
      client: client === "browser" ? "browser (JS)" : "plain form",
      connections: proxyConnections ?? "one per buyer",
      "Stripe ms": stripeMs,
      buyers,
      seats,
      "holds/s": Math.round(outcome.held / (lastHeld / 1000)),
      // The first answers take a while in any case: all buyers open their connections at once.
      "first seat held in ms": Math.round(firstHeld),
      "all seats held in ms": Math.round(lastHeld),
      "requests/s": Math.round(buyers / seconds),
      "p50 ms": Math.round(percentile(latencies, 50)),
      "p99 ms": Math.round(percentile(latencies, 99)),
      held: outcome.held,
      "sold out": outcome.soldOut,
      errors: outcome.other,
      "seats sold": counts!.sold,
      tickets,
      oversold: Math.max(0, counts!.sold + counts!.held - counts!.capacity, tickets - counts!.capacity),
      // From the first payment to the last order fulfilled (webhooks handled, tickets issued).
      "paid orders fulfilled in s": Math.round(fulfilledIn * 10) / 10,
      "slowest webhook answer ms": Math.max(0, ...deliveries.map((d) => d.ms)),
      "webhook attempts failed": deliveries.filter((d) => d.attempt > 0 && !d.ok).length,
    };
  }
}
