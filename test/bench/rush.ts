// A ticket rush: N buyers at once for K seats, through the real HTTP checkout (form POST -> seat
// hold + PENDING order, then the buyer's browser follows on to the payment step, which creates the
// Stripe Checkout Session on the emulator and redirects there), then every held order paid through
// the emulator and fulfilled by webhooks. Oversold must be 0. The rows: browsers
// with JavaScript, plain forms, browsers once more (the server has now seen a rush), browsers
// through a proxy's keep-alive connections, browsers with a seat for everyone (reservations per
// second when nobody is refused), and that once more with Stripe answering in 300 ms. The load,
// the emulator, PostgreSQL and the app share the machine's cores.
import { randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import pg from "pg";
import { startStripeEmulator } from "../stripe-emulator/server";
import { cpuMs, startAppServer, type Row } from "./support";

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
}

type Client = "browser" | "form";

type Answer = { status: number; location: string | undefined; text: string };

/**
 * One buyer's request: on a connection of its own, as from its own browser straight to the app
 * (`agent` false), or on one of a proxy's keep-alive connections to the app (`agent` a pool).
 */
function send(url: string, body: string | null, headers: Record<string, string>, agent: http.Agent | false): Promise<Answer> {
  if (!agent) return sendOnOwnConnection(new URL(url), body, headers);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: body === null ? "GET" : "POST",
        agent,
        headers: body === null ? headers : { ...headers, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) },
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
    request.end(body ?? undefined);
  });
}

/**
 * The same on a connection of its own, written and read as plain HTTP/1.1 text (`Connection:
 * close`, so the answer ends when the app closes the connection). The load generator shares the
 * machine's two cores with the app, PostgreSQL and the Stripe emulator: node:http's client cost
 * it about 2.5 times the CPU per request (0.28 against 0.10 ms, connection included, on a warm
 * process; fetch costs more again), CPU that buyers, each on their own computer, do not take
 * from the app.
 */
function sendOnOwnConnection(url: URL, body: string | null, headers: Record<string, string>): Promise<Answer> {
  const head = [
    `${body === null ? "GET" : "POST"} ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    "Connection: close",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ...(body === null ? [] : ["Content-Type: application/x-www-form-urlencoded", `Content-Length: ${Buffer.byteLength(body)}`]),
  ].join("\r\n");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf("\r\n\r\n");
      const lines = raw.subarray(0, split).toString("latin1").split("\r\n");
      const header = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
      let content = raw.subarray(split + 4);
      if (header("transfer-encoding") === "chunked") {
        const parts: Buffer[] = [];
        for (let at = 0; ; ) {
          const eol = content.indexOf("\r\n", at);
          const size = parseInt(content.subarray(at, eol).toString("latin1"), 16);
          if (!size) break;
          parts.push(content.subarray(eol + 2, eol + 2 + size));
          at = eol + 2 + size + 2;
        }
        content = Buffer.concat(parts);
      }
      resolve({ status: Number(lines[0]!.split(" ")[1]), location: header("location"), text: content.toString("utf8") });
    });
    // Not end(): a client that half-closes its side gets its request aborted by node:http.
    socket.write(`${head}\r\n\r\n${body ?? ""}`);
  });
}

/**
 * `browser`: what Remix's client sends when JavaScript runs: the action as data
 * (`/tickets/checkout.data`, single fetch), a redirect coming back as a 202 whose body names the
 * URL. `form`: a plain HTML form post without JavaScript, answered with a 303 or the whole page
 * re-rendered with the message. Either way a buyer whose seats are held then loads the payment
 * step (`/orders/:ref/pay`), whose 303 sends them to Stripe's page.
 */
export async function rushBench({ buyers, seats, defaultRowOnly = false, formRowOnly = false }: { buyers: number; seats: number; defaultRowOnly?: boolean; formRowOnly?: boolean }): Promise<Row[]> {
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
    if (!formRowOnly) rows.push(await rush("browser", { buyers, seats, network: 1 }));
    if (defaultRowOnly) return rows;
    rows.push(await rush("form", { buyers, seats, network: 2 }));
    if (formRowOnly) return rows;
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
    // Where the checkout page's form posts: its own address, selection included (a post without
    // it is answered as a selection to choose again, on the tickets page). Remix's client sends
    // the same address with `.data` added to the path.
    const selection = `?quantities.${slug}=1`;
    const url = client === "browser" ? `${app.origin}/tickets/checkout.data${selection}` : `${app.origin}/tickets/checkout${selection}`;

    const latencies: number[] = [];
    const outcome = { held: 0, atStripe: 0, soldOut: 0, other: 0 };
    let firstHeld = Infinity;
    let lastHeld = 0;
    let lastAtStripe = 0;
    let started = Infinity;
    const buyersDone = Array.from({ length: buyers }, async (_, i) => {
      const body = new URLSearchParams({
        [`quantities.${slug}`]: "1",
        "buyer.name": `Buyer ${i}`,
        "buyer.email": `buyer${i}@rush.example`,
        "attendees[0].name": `Attendee ${i}`,
        "attendees[0].email": `attendee${i}@rush.example`,
      });
      // Each buyer is its own client for the per-client rate limit, and each run has its own
      // network, so no two buyers share an address.
      const headers = { "X-Forwarded-For": `10.${network}.${(i >> 8) & 255}.${i & 255}` };
      const response = await send(url, body.toString(), headers, agent).catch(() => null);
      const text = response?.text ?? "";
      const done = performance.now();
      if (!response) {
        latencies.push(done - started);
        return void outcome.other++;
      }
      const payStep =
        client === "browser"
          ? response.status === 202 ? /\/orders\/[\w-]+\/pay\?k=[\w-]+/.exec(text)?.[0] : undefined
          : response.status === 303 ? /\/orders\/[\w-]+\/pay\?k=[\w-]+$/.exec(response.location ?? "")?.[0] : undefined;
      // A plain form refused for want of seats is sent back to the tickets page, which says why:
      // that page is the buyer's answer, so its time counts.
      const backToTickets = client === "form" && response.status === 303 ? /\/tickets\?[^#]*\brefused=1\b/.exec(response.location ?? "")?.[0] : undefined;
      if (backToTickets) {
        const page = await send(`${app.origin}${backToTickets}`, null, headers, agent).catch(() => null);
        latencies.push(performance.now() - started);
        if (page?.status === 200 && page.text.includes("is sold out")) outcome.soldOut++;
        else outcome.other++;
        return;
      }
      latencies.push(done - started);
      if (payStep) {
        outcome.held++;
        firstHeld = Math.min(firstHeld, done - started);
        lastHeld = Math.max(lastHeld, done - started);
        // The browser follows on to the payment step, which sends it to Stripe's page.
        const paying = await send(`${app.origin}${payStep}`, null, headers, agent).catch(() => null);
        if (paying?.status === 303 && (paying.location ?? "").startsWith(`${emulator.url}/`)) {
          outcome.atStripe++;
          lastAtStripe = Math.max(lastAtStripe, performance.now() - started);
        } else outcome.other++;
      } else if (response.status === 409) outcome.soldOut++;
      else outcome.other++;
    });
    // The clock starts once every buyer's request is built and none has left: Node opens the
    // connections on the next tick. Building 2,000 requests costs the load generator 100 to 200 ms
    // of its own, which the server has no part in.
    started = performance.now();
    const cpuBefore = cpuMs(app.pid);
    await Promise.all(buyersDone);
    const serverCpuMs = cpuMs(app.pid) - cpuBefore;
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
    while ((await sql.query(`SELECT 1 FROM "EmailOutbox" WHERE status IN ('PENDING', 'SENDING') LIMIT 1`)).rowCount) {
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
      // Every buyer with seats on Stripe's page: the payment step created their Checkout Session.
      "all at Stripe in ms": Math.round(lastAtStripe),
      "requests/s": Math.round(buyers / seconds),
      // The server's CPU for the whole rush (every checkout post and payment step) per buyer.
      "server CPU ms per buyer": Math.round((serverCpuMs / buyers) * 100) / 100,
      "p50 ms": Math.round(percentile(latencies, 50)),
      "p99 ms": Math.round(percentile(latencies, 99)),
      held: outcome.held,
      "at Stripe": outcome.atStripe,
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
