import { describe, expect, it } from "vitest";
import { loader as payLoader } from "~/routes/orders.$ref_.pay";
import { action as checkoutAction, loader as checkoutLoader } from "~/routes/tickets.checkout";
import { loader as ticketsLoader } from "~/routes/tickets._index";
import { db } from "~/services/db.server";
import { CHECKOUT_TURNS } from "~/services/work-queue.server";
import { statusOf } from "../support/auth";
import { useStripeEmulator } from "../support/checkout";
import { ticketType } from "../support/factories";
import { settle } from "../support/outcomes";

const harness = useStripeEmulator();

type Reply = { status?: string; error?: Record<string, string[] | null> | null };

function post(form: Record<string, string>, clientIp = "203.0.113.50") {
  const request = new Request("http://localhost:3000/tickets/checkout", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost:3000" },
    body: new URLSearchParams(form),
  });
  return checkoutAction({ request, params: {}, context: { clientIp } });
}

function pay(url: string) {
  const { pathname, search } = new URL(url);
  const ref = pathname.split("/")[2]!;
  return payLoader({ request: new Request(`http://localhost:3000${pathname}${search}`), params: { ref }, context: {} }) as Promise<Response>;
}

function validForm(slug: string, overrides: Record<string, string> = {}) {
  return {
    [`quantities.${slug}`]: "1",
    "buyer.name": "Ada Buyer",
    "buyer.email": "ada@example.com",
    "attendees[0].name": "Grace Hopper",
    "attendees[0].email": "grace@example.com",
    ...overrides,
  };
}

async function errorsOf(result: unknown) {
  return ((result as { data: Reply }).data.error ?? {}) as Record<string, string[] | null>;
}

describe("the checkout form refuses bad input with a specific message and changes nothing", () => {
  it("names the field for invalid emails, oversized text, negative and huge quantities", async () => {
    const type = await ticketType({ capacity: 5 });
    const before = await db().order.count();
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ "attendees[0].email": "not-an-email" }, "attendees[0].email", /valid email/],
      [{ "buyer.email": "" }, "buyer.email", /required/],
      [{ "attendees[0].name": "x".repeat(500) }, "attendees[0].name", /at most 120/],
      [{ [`quantities.${type.slug}`]: "-1" }, `quantities.${type.slug}`, /negative/],
      [{ [`quantities.${type.slug}`]: "1000000" }, `quantities.${type.slug}`, /At most 20/],
      [{ [`quantities.${type.slug}`]: "1.5" }, `quantities.${type.slug}`, /whole number/],
    ];
    for (const [override, field, message] of cases) {
      const result = await post(validForm(type.slug, override));
      expect(await statusOf(async () => result)).toBe(400);
      expect((await errorsOf(result))[field]?.join(" ")).toMatch(message);
    }
    expect(await db().order.count()).toBe(before);
  });

  it("refuses a name with a text-direction override or a line break, saying what to do", async () => {
    const type = await ticketType({ capacity: 5 });
    const before = await db().order.count();
    const result = await post(validForm(type.slug, { "attendees[0].name": "Grace \u202Ereppoh", "buyer.name": "Ada\r\nBcc: all@example.com" }));
    expect(await statusOf(async () => result)).toBe(400);
    const errors = await errorsOf(result);
    expect(errors["attendees[0].name"]).toEqual(["Full name contains a line break or a hidden control character (such as a text-direction override). Please type it again on one line."]);
    expect(errors["buyer.name"]).toEqual(["Your name contains a line break or a hidden control character (such as a text-direction override). Please type it again on one line."]);
    expect(await db().order.count()).toBe(before);
    expect((await db().ticketType.findUniqueOrThrow({ where: { id: type.id } })).held).toBe(0);
  });

  it("explains unknown types, exhausted codes and changed totals, with no seats taken", async () => {
    const type = await ticketType({ capacity: 5, priceCents: 10_000 });
    const event = await db().event.findFirstOrThrow();
    await db().discountCode.create({ data: { eventId: event.id, code: "GONE", kind: "PERCENT", amount: 1000, maxUses: 1, used: 1 } });
    await db().discountCode.create({ data: { eventId: event.id, code: "OLD", kind: "PERCENT", amount: 1000, validUntil: new Date("2025-01-01") } });
    const unknown = await post(validForm("no-such-type", { "quantities.no-such-type": "1" }));
    expect(await statusOf(async () => unknown)).toBe(409);
    expect((await errorsOf(unknown))["quantities.no-such-type"]?.[0]).toMatch(/does not exist/);
    const gone = await post(validForm(type.slug, { code: "gone" }));
    expect((await errorsOf(gone)).code?.[0]).toBe("The code “GONE” has been used up.");
    const old = await post(validForm(type.slug, { code: "OLD" }));
    expect((await errorsOf(old)).code?.[0]).toBe("The code “OLD” has expired.");
    const tampered = await post(validForm(type.slug, { expectedTotalCents: "1" }));
    expect((await errorsOf(tampered))[""]?.[0]).toMatch(/changed while you were filling/);
    expect((await db().ticketType.findUniqueOrThrow({ where: { id: type.id } })).held).toBe(0);
  });

  it("holds the seats of a valid order, then its payment step sends the buyer to Stripe Checkout", async () => {
    const type = await ticketType({ capacity: 5 });
    const result = (await post(validForm(type.slug))) as Response;
    expect(result.status).toBe(303);
    const payStep = result.headers.get("Location")!;
    expect(payStep).toMatch(/\/orders\/[A-Z0-9-]+\/pay\?k=/);
    // A full page load, so the browser follows the payment step's redirect to Stripe.
    expect(result.headers.get("X-Remix-Reload-Document")).toBe("true");
    expect((await db().ticketType.findUniqueOrThrow({ where: { id: type.id } })).held).toBe(1);
    const toStripe = await pay(payStep);
    expect(toStripe.status).toBe(303);
    expect(toStripe.headers.get("Location")).toMatch(new RegExp(`^${harness.emulator.url}/pay/cs_test_`));
  });

  it("keeps the seats when Stripe cannot be reached at the payment step, and lets the buyer try again", async () => {
    const type = await ticketType({ capacity: 5 });
    const payStep = ((await post(validForm(type.slug))) as Response).headers.get("Location")!;
    harness.emulator.failNext("POST", "/v1/checkout/sessions", 3);
    const failed = await pay(payStep);
    expect(await statusOf(async () => failed)).toBe(503);
    const page = (failed as unknown as { data: { problem: string; order: { holdEnds: string } } }).data;
    expect(page.problem).toMatch(/seats are still held/);
    expect(page.order.holdEnds).toMatch(/\d/);
    expect((await db().ticketType.findUniqueOrThrow({ where: { id: type.id } })).held).toBe(1);
    const again = await pay(payStep);
    expect(again.headers.get("Location")).toMatch(new RegExp(`^${harness.emulator.url}/pay/cs_test_`));
  });

  it("answers an unknown order or a wrong key at the payment step with 404 and opens nothing", async () => {
    const type = await ticketType({ capacity: 5 });
    const payStep = ((await post(validForm(type.slug))) as Response).headers.get("Location")!;
    const sessions = harness.emulator.sessions().length;
    expect(await statusOf(() => pay(payStep.replace(/k=[^&]+/, "k=wrong")))).toBe(404);
    expect(await statusOf(() => pay("http://localhost:3000/orders/RE3M-NOPE/pay?k=x"))).toBe(404);
    expect(harness.emulator.sessions().length).toBe(sessions);
  });

});

describe("checkout under load", () => {
  it("holds seats for every buyer at once without waiting on Stripe: the payment step talks to Stripe", async () => {
    // Checkouts take turns until their seats are held (checkoutQueue); the call to Stripe is the
    // payment step's, so neither a slow Stripe nor its request limits hold up anyone's seats.
    const buyerCount = CHECKOUT_TURNS + 16;
    const type = await ticketType({ capacity: buyerCount });
    const sessionsBefore = harness.emulator.sessions().length;
    const results = (await Promise.all(Array.from({ length: buyerCount }, (_, i) => post(validForm(type.slug), `192.0.2.${i + 1}`)))) as Response[];
    expect(results.map((r) => r.status)).toEqual(Array(buyerCount).fill(303));
    expect(results.every((r) => /\/pay\?k=/.test(r.headers.get("Location")!))).toBe(true);
    expect((await db().ticketType.findUniqueOrThrow({ where: { id: type.id } })).held).toBe(buyerCount);
    expect(harness.emulator.sessions().length).toBe(sessionsBefore);
    const toStripe = await pay(results[0]!.headers.get("Location")!);
    expect(toStripe.headers.get("Location")).toMatch(new RegExp(`^${harness.emulator.url}/pay/cs_test_`));
    expect(harness.emulator.sessions().length).toBe(sessionsBefore + 1);
  });

  it("sends a plain form that finds the seats gone back to the tickets page, and tells the page's script in place", async () => {
    const type = await ticketType({ capacity: 1 });
    expect(await statusOf(() => post(validForm(type.slug)))).toBe(303);
    // Without JavaScript the form posts to the address that carries the selection.
    const plain = await settle(() => {
      const request = new Request(`http://localhost:3000/tickets/checkout?quantities.${type.slug}=1`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost:3000" },
        body: new URLSearchParams(validForm(type.slug, { "buyer.email": "late@example.com" })),
      });
      return checkoutAction({ request, params: {}, context: { clientIp: "203.0.113.61", plainFormPost: true } });
    });
    expect(plain).toMatchObject({ status: 303, location: `/tickets?quantities.${type.slug}=1&refused=1` });
    const page = await ticketsLoader({ request: new Request(`http://localhost:3000${plain.location}`), params: {}, context: {} });
    expect(page.problem).toEqual({ field: `quantities.${type.slug}`, message: `${type.name} is sold out. You can join the waitlist instead.` });
    // The page's script gets the refusal as the form's answer (409), shown where the form is.
    const scripted = await post(validForm(type.slug, { "buyer.email": "late@example.com" }), "203.0.113.62");
    expect(await statusOf(async () => scripted)).toBe(409);
    expect(await errorsOf(scripted)).toMatchObject({ [`quantities.${type.slug}`]: [`${type.name} is sold out. You can join the waitlist instead.`] });
    expect(await db().order.count({ where: { buyerEmail: "late@example.com" } })).toBe(0);
  });

  it("limits how many checkouts one client can start", async () => {
    const type = await ticketType({ capacity: 100 });
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push(await statusOf(() => post(validForm(type.slug), "198.51.100.77")));
    expect(statuses.slice(0, 20).every((s) => s === 303)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

});

describe("the checkout page", () => {
  const open = (path: string) => settle(() => checkoutLoader({ request: new Request(`http://localhost:3000${path}`), params: {}, context: {} }));
  const ticketsPage = (location: string) => ticketsLoader({ request: new Request(`http://localhost:3000${location}`), params: {}, context: {} });

  it("sends a wrong code back to the tickets page with the quantities, the code and the message", async () => {
    const type = await ticketType();
    const refused = await open(`/tickets/checkout?quantities.${type.slug}=2&code=NOTACODE`);
    expect(refused.status).toBe(303);
    expect(refused.location).toBe(`/tickets?quantities.${type.slug}=2&code=NOTACODE&refused=1`);
    const page = await ticketsPage(refused.location!);
    expect(page.problem).toEqual({ field: "code", message: "The code “NOTACODE” is not valid. Check the spelling or remove it." });
    expect(page.chosen).toMatchObject({ [type.slug]: 2 });
    expect(page.codeInput).toBe("NOTACODE");
  });

  it("sends Continue with nothing picked back to the tickets page, saying to choose a ticket", async () => {
    const type = await ticketType();
    const refused = await open(`/tickets/checkout?quantities.${type.slug}=0&code=`);
    expect(refused).toMatchObject({ status: 303, location: `/tickets?quantities.${type.slug}=0&refused=1` });
    expect((await ticketsPage(refused.location!)).problem).toEqual({ field: null, message: "Choose at least one ticket." });
    // Without `refused` (the page opened normally, or the code applied), nothing is said.
    expect((await ticketsPage(`/tickets?quantities.${type.slug}=0`)).problem).toBeNull();
  });

  it("names the ticket type at fault, and keeps the other choices", async () => {
    const type = await ticketType({ maxPerOrder: 2 });
    const other = await ticketType();
    const refused = await open(`/tickets/checkout?quantities.${other.slug}=1&quantities.${type.slug}=3`);
    expect(refused.status).toBe(303);
    const page = await ticketsPage(refused.location!);
    expect(page.problem).toEqual({ field: `quantities.${type.slug}`, message: `You can buy at most 2 ${type.name} tickets in one order.` });
    expect(page.chosen).toMatchObject({ [other.slug]: 1, [type.slug]: 3 });
    const unknown = await open("/tickets/checkout?quantities.nope=2");
    expect((await ticketsPage(unknown.location!)).problem).toMatchObject({ field: "quantities.nope", message: expect.stringMatching(/does not exist/) });
  });

  it("shows a refused waitlist offer on the checkout page itself, with a 422", async () => {
    const type = await ticketType();
    const refused = await open(`/tickets/checkout?offer=no-such-offer&quantities.${type.slug}=1`);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ quote: null, problem: "This waitlist offer has expired or was already used.", ticketsPage: `/tickets?quantities.${type.slug}=1` });
  });
});
