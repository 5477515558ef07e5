// The Stripe test emulator, driven through the real stripe SDK, its hosted page driven with plain
// form posts, and its webhooks received and verified by a small node:http endpoint.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { parseFormBody } from "../stripe-emulator/form-body";
import { startStripeEmulator, stripeClientFor, type StripeEmulator, type StripeEmulatorOptions } from "../stripe-emulator/server";

const SECRET = "whsec_emulator_test_secret";
const verifier = new Stripe("sk_test_verifier");

interface Receiver {
  url: string;
  events: Stripe.Event[];
  contentTypes: string[];
  rejected: string[];
  /** Answer the next `count` deliveries with HTTP 500. */
  failNext(count: number): void;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A webhook endpoint that verifies every delivery the way the app does. */
async function startReceiver(): Promise<Receiver> {
  const events: Stripe.Event[] = [];
  const contentTypes: string[] = [];
  const rejected: string[] = [];
  let failures = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    if (failures > 0) {
      failures -= 1;
      res.writeHead(500).end("try again");
      return;
    }
    try {
      events.push(verifier.webhooks.constructEvent(raw, String(req.headers["stripe-signature"]), SECRET));
      contentTypes.push(String(req.headers["content-type"]));
      res.writeHead(200).end("ok");
    } catch (error) {
      rejected.push(String(error));
      res.writeHead(400).end("bad signature");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const receiver: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`,
    events,
    contentTypes,
    rejected,
    failNext: (count) => void (failures = count),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  cleanups.push(receiver.close);
  return receiver;
}

async function setup(options: Partial<StripeEmulatorOptions> & { receiver?: boolean } = {}) {
  const receiver = options.receiver === false ? undefined : await startReceiver();
  const emulator = await startStripeEmulator({
    webhookSecret: SECRET,
    webhookUrl: receiver?.url,
    asyncDelayMs: 50,
    webhookRetryDelaysMs: [10, 20, 40],
    ...options,
  });
  cleanups.push(emulator.stop);
  return { emulator, receiver: receiver as Receiver, stripe: stripeClientFor(emulator.url) };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** 2 passes at $747.50 plus HST 13% as its own line: $1,689.35 before any discount. */
function sessionParams(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams {
  return {
    mode: "payment",
    line_items: [
      { quantity: 2, price_data: { currency: "cad", unit_amount: 74750, product_data: { name: "Full conference pass", description: "Both days, all sessions" } } },
      { quantity: 1, price_data: { currency: "cad", unit_amount: 19435, product_data: { name: "HST 13%" } } },
    ],
    customer_email: "ada@example.com",
    client_reference_id: "order_42",
    metadata: { orderId: "42" },
    expires_at: nowSeconds() + 3600,
    success_url: "http://app.test/checkout/success?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://app.test/checkout/cancelled",
    payment_intent_data: { metadata: { orderId: "42" } },
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    return error as Stripe.errors.StripeError;
  }
  throw new Error("expected the request to fail");
}

async function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

describe("the form body parser", () => {
  it("builds nested objects and indexed arrays from Stripe's bracket notation", () => {
    const body = [
      "mode=payment",
      "line_items[1][quantity]=1",
      "line_items[0][quantity]=2",
      "line_items[0][price_data][unit_amount]=74750",
      "line_items[0][price_data][product_data][name]=Full+pass%20%26+more",
      "metadata[orderId]=42",
      "expand[]=payment_intent",
      "expand[]=line_items",
      "discounts[0][coupon]=ABC",
    ].join("&");
    expect(parseFormBody(body)).toEqual({
      mode: "payment",
      line_items: [{ quantity: "2", price_data: { unit_amount: "74750", product_data: { name: "Full pass & more" } } }, { quantity: "1" }],
      metadata: { orderId: "42" },
      expand: ["payment_intent", "line_items"],
      discounts: [{ coupon: "ABC" }],
    });
  });

  it("reads the SDK's own encoding and leaves empty values as empty strings", () => {
    expect(parseFormBody("expand[0]=a&expand[1]=b.c&empty=&flag")).toEqual({ expand: ["a", "b.c"], empty: "", flag: "" });
    expect(parseFormBody("a%5Bb%5D=1")).toEqual({ a: { b: "1" } });
    expect(parseFormBody("")).toEqual({});
  });

  it("refuses ambiguous or dangerous keys", () => {
    expect(() => parseFormBody("a=1&a[b]=2")).toThrow(/both a value and a nested object/);
    expect(() => parseFormBody("a[0]=1&a[b]=2")).toThrow(/mix array and object/);
    expect(() => parseFormBody("__proto__[x]=1")).toThrow(/Invalid parameter name/);
    expect(() => parseFormBody("a[99999999]=1")).toThrow(/too large/);
    expect(() => parseFormBody("a=%E0%A4%A")).toThrow(/percent-encoding/);
  });
});

describe("the API surface", () => {
  it("wants a test secret key, like Stripe", async () => {
    const { emulator } = await setup({ receiver: false });
    const anonymous = await fetch(`${emulator.url}/v1/checkout/sessions`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { message: string } }).error.message).toMatch(/You did not provide an API key/);

    const error = await rejection(stripeClientFor(emulator.url, "sk_live_nope").checkout.sessions.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);

    const json = await fetch(`${emulator.url}/v1/refunds`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_x", "Content-Type": "application/json" },
      body: JSON.stringify({ payment_intent: "pi_x" }),
    });
    expect(json.status).toBe(400);
    expect((await fetch(`${emulator.url}/v1/nothing`, { headers: { Authorization: "Bearer sk_test_x" } })).status).toBe(404);

    const unknown = await rejection(stripeClientFor(emulator.url).paymentIntents.retrieve("pi_missing"));
    expect(unknown).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.code).toBe("resource_missing");
    expect(unknown.message).toBe("No such payment_intent: 'pi_missing'");
  });

  it("creates a coupon and a session, replays an idempotent create and refuses a conflicting one", async () => {
    const { stripe, emulator } = await setup({ receiver: false });
    const coupon = await stripe.coupons.create({ amount_off: 5000, currency: "CAD", duration: "once", max_redemptions: 1, name: "Speaker discount" });
    expect(coupon).toMatchObject({ object: "coupon", amount_off: 5000, currency: "cad", max_redemptions: 1, times_redeemed: 0, valid: true });

    const params = sessionParams({ discounts: [{ coupon: coupon.id }] });
    const session = await stripe.checkout.sessions.create(params, { idempotencyKey: "order-42-attempt-1" });
    expect(session.id).toMatch(/^cs_test_\w+$/);
    expect(session).toMatchObject({
      object: "checkout.session",
      status: "open",
      payment_status: "unpaid",
      mode: "payment",
      currency: "cad",
      amount_subtotal: 168935,
      amount_total: 163935,
      total_details: { amount_discount: 5000, amount_shipping: 0, amount_tax: 0 },
      customer_email: "ada@example.com",
      client_reference_id: "order_42",
      metadata: { orderId: "42" },
      payment_intent: null,
      livemode: false,
      url: `${emulator.url}/pay/${session.id}`,
      discounts: [{ coupon: coupon.id, promotion_code: null }],
    });

    const replay = await stripe.checkout.sessions.create(params, { idempotencyKey: "order-42-attempt-1" });
    expect(replay.id).toBe(session.id);
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(emulator.sessions()).toHaveLength(1);

    const conflict = await rejection(stripe.checkout.sessions.create({ ...params, client_reference_id: "order_43" }, { idempotencyKey: "order-42-attempt-1" }));
    expect(conflict).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(conflict.statusCode).toBe(400);
    expect(conflict.message).toMatch(/same parameters they were first used with/);

    // Like Stripe, a key belongs to the endpoint it was first used on.
    const otherEndpoint = await rejection(stripe.coupons.create({ percent_off: 10, duration: "once" }, { idempotencyKey: "order-42-attempt-1" }));
    expect(otherEndpoint).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(otherEndpoint.message).toMatch(/same endpoint/);
  });

  it("validates parameters with Stripe's messages and does not save failed validations for idempotency", async () => {
    const { stripe } = await setup({ receiver: false });
    const fail = (overrides: Record<string, unknown>, key?: string) =>
      rejection(stripe.checkout.sessions.create({ ...sessionParams(), ...overrides } as Stripe.Checkout.SessionCreateParams, key ? { idempotencyKey: key } : {}));

    const missing = await fail({ line_items: undefined });
    expect(missing).toMatchObject({ statusCode: 400, code: "parameter_missing", param: "line_items", message: "Missing required param: line_items." });
    expect(await fail({ success_url: undefined })).toMatchObject({ param: "success_url", code: "parameter_missing" });
    expect(await fail({ mode: undefined })).toMatchObject({ param: "mode" });

    const tooSoon = await fail({ expires_at: nowSeconds() + 29 * 60 });
    expect(tooSoon.message).toBe("The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.");
    expect(tooSoon.param).toBe("expires_at");
    const tooLate = await fail({ expires_at: nowSeconds() + 24 * 3600 });
    expect(tooLate.message).toBe("The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.");
    const byDefault = await stripe.checkout.sessions.create(sessionParams({ expires_at: undefined }));
    expect(byDefault.expires_at - byDefault.created).toBe(24 * 3600);

    const badAmount = await fail({ line_items: [{ quantity: 1, price_data: { currency: "cad", unit_amount: 12.5, product_data: { name: "x" } } }] });
    expect(badAmount).toMatchObject({ param: "line_items[0][price_data][unit_amount]", message: "Invalid integer: 12.5" });
    const negative = await fail({ line_items: [{ quantity: 1, price_data: { currency: "cad", unit_amount: -100, product_data: { name: "x" } } }] });
    expect(negative.param).toBe("line_items[0][price_data][unit_amount]");
    const currency = await fail({ line_items: [{ quantity: 1, price_data: { currency: "dollars", unit_amount: 100, product_data: { name: "x" } } }] });
    expect(currency.message).toMatch(/^Invalid currency: dollars/);
    const noQuantity = await fail({ line_items: [{ price_data: { currency: "cad", unit_amount: 100, product_data: { name: "x" } } }] });
    expect(noQuantity.message).toBe("Quantity is required. Add `quantity` to `line_items[0]`");
    const typo = await fail({ custmer_email: "x@example.com" });
    expect(typo).toMatchObject({ code: "parameter_unknown", param: "custmer_email" });
    const unsupported = await fail({ automatic_tax: { enabled: true } });
    expect(unsupported.code).toBe("emulator_unsupported_parameter");
    const tiny = await fail({ line_items: [{ quantity: 1, price_data: { currency: "cad", unit_amount: 20, product_data: { name: "x" } } }] });
    expect(tiny.message).toBe("The Checkout Session's total amount due must add up to at least $0.50 cad");

    // A request refused by validation can be retried with the same key once corrected.
    await fail({ expires_at: nowSeconds() + 60 }, "retry-after-fix");
    const fixed = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: "retry-after-fix" });
    expect(fixed.status).toBe("open");
  });

  it("retrieves with expansions, lists line items and filters the session list", async () => {
    const { stripe, emulator } = await setup({ receiver: false });
    const coupon = await stripe.coupons.create({ amount_off: 5000, currency: "cad", duration: "once", max_redemptions: 1 });
    const paid = await stripe.checkout.sessions.create(sessionParams({ discounts: [{ coupon: coupon.id }] }));
    const open = await stripe.checkout.sessions.create(sessionParams());
    emulator.pay(paid.id, "success");

    const retrieved = await stripe.checkout.sessions.retrieve(paid.id, { expand: ["payment_intent", "line_items"] });
    const intent = retrieved.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({ object: "payment_intent", status: "succeeded", amount: 163935, currency: "cad", metadata: { orderId: "42" } });
    expect(intent.latest_charge).toMatch(/^ch_/);
    const lines = retrieved.line_items!;
    expect(lines.object).toBe("list");
    expect(lines.has_more).toBe(false);
    expect(lines.data.map((line) => [line.description, line.quantity, line.price?.unit_amount, line.amount_subtotal])).toEqual([
      ["Full conference pass", 2, 74750, 149500],
      ["HST 13%", 1, 19435, 19435],
    ]);
    // The session-level discount is spread over the lines, tax line included, as Stripe reports it.
    expect(lines.data.reduce((sum, line) => sum + line.amount_discount, 0)).toBe(5000);
    expect(lines.data.reduce((sum, line) => sum + line.amount_total, 0)).toBe(163935);

    const listed = await stripe.checkout.sessions.listLineItems(paid.id);
    expect(listed.data.map((line) => line.id)).toEqual(lines.data.map((line) => line.id));

    const byIntent = await stripe.checkout.sessions.list({ payment_intent: intent.id, limit: 5 });
    expect(byIntent.data.map((session) => session.id)).toEqual([paid.id]);
    const openOnes = await stripe.checkout.sessions.list({ status: "open" });
    expect(openOnes.data.map((session) => session.id)).toEqual([open.id]);
    const firstPage = await stripe.checkout.sessions.list({ limit: 1 });
    expect(firstPage).toMatchObject({ has_more: true, data: [{ id: open.id }] });
    const all: string[] = [];
    for await (const session of stripe.checkout.sessions.list({ limit: 1 })) all.push(session.id);
    expect(all).toEqual([open.id, paid.id]);

    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ amount: 163935, paid: true, payment_intent: intent.id, billing_details: { email: "ada@example.com" } });
    expect((await stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);

    const missing = await rejection(stripe.checkout.sessions.retrieve("cs_test_missing"));
    expect(missing.message).toBe("No such checkout.session: 'cs_test_missing'");
    const badExpand = await rejection(stripe.checkout.sessions.retrieve(open.id, { expand: ["customer"] }));
    expect(badExpand.message).toBe("This property cannot be expanded (customer).");
  });
});

describe("the hosted checkout page", () => {
  it("shows the order to the cent with four labelled actions", async () => {
    const { stripe } = await setup({ receiver: false });
    const coupon = await stripe.coupons.create({ amount_off: 5000, currency: "cad", duration: "once", name: "Speaker discount" });
    const session = await stripe.checkout.sessions.create(sessionParams({ discounts: [{ coupon: coupon.id }] }));
    const response = await fetch(session.url!);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<title>Checkout – Stripe test emulator<\/title>/);
    expect(html).toContain("Stripe test emulator");
    expect(html).toMatch(/<h1>Checkout<\/h1>/);
    expect(html).toContain("ada@example.com");
    expect(html).toContain("Full conference pass");
    expect(html).toContain("Both days, all sessions");
    expect(html).toContain("$747.50");
    expect(html).toContain("$1,495.00");
    expect(html).toContain("$1,689.35"); // subtotal
    expect(html).toContain("Discount (Speaker discount)");
    expect(html).toContain("-$50.00");
    expect(html).toContain("$1,639.35"); // total due
    expect(html).toMatch(/<form method="post" action="\/pay\/cs_test_\w+">/);
    for (const name of ["Pay with test card", "Pay with declined card", "Pay with 3-D Secure (delayed)", "Cancel and return"]) {
      expect(html).toMatch(new RegExp(`<button type="submit"[^>]*>${name.replace(/[()]/g, "\\$&")}</button>`));
    }
    expect(html).not.toMatch(/<(script|link|img)\b/);
  });

  it("asks for an email when the session has none", async () => {
    const { stripe, emulator } = await setup({ receiver: false });
    const session = await stripe.checkout.sessions.create(sessionParams({ customer_email: undefined }));
    const html = await (await fetch(session.url!)).text();
    expect(html).toMatch(/<label for="email">Email<\/label>\s*<input id="email" name="email" type="email"/);
    const noEmail = await postForm(session.url!, { outcome: "success" });
    expect(await noEmail.text()).toContain("Enter a valid email address.");
    const paid = await postForm(session.url!, { outcome: "success", email: "grace@example.com" });
    expect(paid.status).toBe(303);
    expect(emulator.sessions()[0].customer_details?.email).toBe("grace@example.com");
  });

  it("pays with the test card and redirects to success_url with the session id", async () => {
    const { stripe, receiver } = await setup();
    const session = await stripe.checkout.sessions.create(sessionParams());
    const response = await postForm(session.url!, { outcome: "success" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`http://app.test/checkout/success?session_id=${session.id}`);

    const after = await stripe.checkout.sessions.retrieve(session.id);
    expect(after).toMatchObject({ status: "complete", payment_status: "paid", url: null });
    const intent = await stripe.paymentIntents.retrieve(after.payment_intent as string);
    expect(intent).toMatchObject({ status: "succeeded", amount: 168935, amount_received: 168935, metadata: { orderId: "42" } });
    await waitFor(() => receiver.events.length === 1, "checkout.session.completed");
    expect(receiver.events[0].type).toBe("checkout.session.completed");

    const page = await (await fetch(`${session.url}`)).text();
    expect(page).toContain("This checkout session is complete.");
    expect(page).toContain(`href="http://app.test/checkout/success?session_id=${session.id}"`);
    expect(page).not.toContain("Pay with test card");
  });

  it("cancels back to cancel_url and leaves the session open", async () => {
    const { stripe } = await setup({ receiver: false });
    const session = await stripe.checkout.sessions.create(sessionParams());
    const response = await postForm(session.url!, { outcome: "cancel" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("http://app.test/checkout/cancelled");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
  });

  it("declines the declined card on the page and through pay()", async () => {
    const { stripe, emulator } = await setup();
    const session = await stripe.checkout.sessions.create(sessionParams());
    const response = await postForm(session.url!, { outcome: "declined" });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<p class="alert" role="alert">Your card was declined.</p>');
    expect(html).toContain("Pay with test card");
    expect(() => emulator.pay(session.id, "declined")).toThrow("Your card was declined.");
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "open", payment_status: "unpaid", payment_intent: null });
    expect(emulator.events()).toEqual([]);
  });

  it("says an expired session has expired and offers the way back", async () => {
    const { stripe } = await setup({ receiver: false });
    const session = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(session.id);
    const html = await (await fetch(session.url!)).text();
    expect(html).toContain("This checkout session has expired.");
    expect(html).toContain('href="http://app.test/checkout/cancelled"');
    expect(html).not.toContain("Pay with test card");
    const late = await postForm(session.url!, { outcome: "success" });
    expect(late.status).toBe(200);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("expired");
    expect((await fetch(`${new URL(session.url!).origin}/pay/cs_test_nope`)).status).toBe(404);
  });
});

describe("payments, expiry and refunds with signed webhooks", () => {
  it("delivers checkout.session.completed signed with the real scheme", async () => {
    const { stripe, emulator, receiver } = await setup();
    const session = await stripe.checkout.sessions.create(sessionParams());
    const paid = emulator.pay(session.id, "success");
    expect(paid).toMatchObject({ status: "complete", payment_status: "paid" });
    await waitFor(() => receiver.events.length === 1, "the webhook");
    const [event] = receiver.events;
    expect(receiver.rejected).toEqual([]);
    expect(receiver.contentTypes[0]).toMatch(/^application\/json/);
    expect(event.id).toMatch(/^evt_/);
    expect(event).toMatchObject({
      object: "event",
      type: "checkout.session.completed",
      livemode: false,
      api_version: Stripe.API_VERSION,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    });
    const object = event.data.object as Stripe.Checkout.Session;
    expect(object).toMatchObject({ id: session.id, status: "complete", payment_status: "paid", metadata: { orderId: "42" }, client_reference_id: "order_42" });
    expect(object.payment_intent).toMatch(/^pi_/);
    expect(emulator.events().map((e) => e.id)).toEqual([event.id]);
    const refetched = await stripe.events.retrieve(event.id);
    expect(refetched.type).toBe("checkout.session.completed");
  });

  it("completes a delayed payment unpaid, then sends async_payment_succeeded", async () => {
    const { stripe, emulator, receiver } = await setup({ asyncDelayMs: 100 });
    const session = await stripe.checkout.sessions.create(sessionParams());
    const response = await postForm(session.url!, { outcome: "delayed" });
    expect(response.status).toBe(303);
    const completed = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(completed).toMatchObject({ status: "complete", payment_status: "unpaid" });
    expect((completed.payment_intent as Stripe.PaymentIntent).status).toBe("processing");

    await waitFor(() => receiver.events.length === 2, "async_payment_succeeded");
    expect(receiver.events.map((event) => event.type)).toEqual(["checkout.session.completed", "checkout.session.async_payment_succeeded"]);
    expect((receiver.events[0].data.object as Stripe.Checkout.Session).payment_status).toBe("unpaid");
    expect((receiver.events[1].data.object as Stripe.Checkout.Session).payment_status).toBe("paid");
    const intent = await stripe.paymentIntents.retrieve(completed.payment_intent ? (completed.payment_intent as Stripe.PaymentIntent).id : "");
    expect(intent).toMatchObject({ status: "succeeded", amount_received: 168935 });
    expect(intent.latest_charge).toMatch(/^ch_/);

    const failing = await stripe.checkout.sessions.create(sessionParams());
    emulator.pay(failing.id, "delayed_failure");
    await waitFor(() => receiver.events.some((event) => event.type === "checkout.session.async_payment_failed"), "async_payment_failed");
  });

  it("completes a fully discounted order without a PaymentIntent", async () => {
    const { stripe, emulator, receiver } = await setup();
    const coupon = await stripe.coupons.create({ amount_off: 500000, currency: "cad", duration: "once", max_redemptions: 1 });
    const session = await stripe.checkout.sessions.create(sessionParams({ discounts: [{ coupon: coupon.id }] }));
    expect(session).toMatchObject({ amount_subtotal: 168935, amount_total: 0, total_details: { amount_discount: 168935 } });
    expect(emulator.pay(session.id, "success")).toMatchObject({ status: "complete", payment_status: "no_payment_required", payment_intent: null });
    await waitFor(() => receiver.events.length === 1, "checkout.session.completed");
    const reused = await rejection(stripe.checkout.sessions.create(sessionParams({ discounts: [{ coupon: coupon.id }] })));
    expect(reused.param).toBe("discounts[0][coupon]");
  });

  it("expires through the API once, and refuses to expire a completed session", async () => {
    const { stripe, emulator, receiver } = await setup();
    const session = await stripe.checkout.sessions.create(sessionParams());
    const expired = await stripe.checkout.sessions.expire(session.id, {}, { idempotencyKey: "expire-42" });
    expect(expired).toMatchObject({ status: "expired", url: null });
    await waitFor(() => receiver.events.length === 1, "checkout.session.expired");
    expect(receiver.events[0]).toMatchObject({ type: "checkout.session.expired", request: { idempotency_key: "expire-42" } });
    expect(receiver.events[0].request?.id).toMatch(/^req_/);

    const again = await rejection(stripe.checkout.sessions.expire(session.id));
    expect(again.message).toBe('Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of `expired`.');
    const paid = await stripe.checkout.sessions.create(sessionParams());
    emulator.pay(paid.id, "success");
    const complete = await rejection(stripe.checkout.sessions.expire(paid.id));
    expect(complete.statusCode).toBe(400);
    expect(complete.message).toMatch(/has a status of `complete`/);
    expect(emulator.events().filter((event) => event.type === "checkout.session.expired")).toHaveLength(1);
  });

  it("expires sessions when their time comes, by the timer and on read", async () => {
    let now = Date.now();
    const { stripe, emulator, receiver } = await setup({ now: () => now });
    const byTimer = await stripe.checkout.sessions.create(sessionParams({ expires_at: Math.floor(now / 1000) + 30 * 60 + 5 }));
    const onRead = await stripe.checkout.sessions.create(sessionParams({ expires_at: Math.floor(now / 1000) + 2 * 3600 }));

    now += 31 * 60 * 1000;
    await waitFor(() => receiver.events.length === 1, "the timer's expiry", 3000);
    expect(receiver.events[0]).toMatchObject({ type: "checkout.session.expired", data: { object: { id: byTimer.id, status: "expired" } } });
    expect((await stripe.checkout.sessions.retrieve(onRead.id)).status).toBe("open");

    emulator.advanceClock(2 * 3600 * 1000);
    expect((await stripe.checkout.sessions.retrieve(onRead.id)).status).toBe("expired");
    await stripe.checkout.sessions.retrieve(byTimer.id);
    await emulator.flushWebhooks();
    expect(emulator.events().map((event) => [event.type, (event.data.object as { id: string }).id])).toEqual([
      ["checkout.session.expired", byTimer.id],
      ["checkout.session.expired", onRead.id],
    ]);
    expect(() => emulator.pay(byTimer.id, "success")).toThrow(/no longer active/);

    // A payment that raced the expiry still completes.
    const forced = emulator.forcePay(byTimer.id);
    expect(forced).toMatchObject({ status: "complete", payment_status: "paid" });
    await waitFor(() => receiver.events.some((event) => event.type === "checkout.session.completed"), "the late completion");
  });

  it("refunds partially then fully, with cumulative charge.refunded events", async () => {
    const { stripe, emulator, receiver } = await setup();
    const session = await stripe.checkout.sessions.create(sessionParams());
    const { payment_intent } = emulator.pay(session.id, "success");
    const intentId = payment_intent as string;

    const partial = await stripe.refunds.create(
      { payment_intent: intentId, amount: 19435, reason: "requested_by_customer", metadata: { orderId: "42" } },
      { idempotencyKey: "refund-42-1" },
    );
    expect(partial).toMatchObject({ object: "refund", amount: 19435, currency: "cad", payment_intent: intentId, status: "succeeded", reason: "requested_by_customer", metadata: { orderId: "42" } });
    expect(partial.id).toMatch(/^re_/);
    const replay = await stripe.refunds.create(
      { payment_intent: intentId, amount: 19435, reason: "requested_by_customer", metadata: { orderId: "42" } },
      { idempotencyKey: "refund-42-1" },
    );
    expect(replay.id).toBe(partial.id);

    const tooMuch = await rejection(stripe.refunds.create({ payment_intent: intentId, amount: 150000 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, code: "amount_too_large", message: "Refund amount ($1,500.00) is greater than unrefunded amount on charge ($1,495.00)" });

    const rest = await stripe.refunds.create({ payment_intent: intentId });
    expect(rest.amount).toBe(149500);
    expect((await stripe.refunds.retrieve(rest.id)).charge).toBe(partial.charge);
    const already = await rejection(stripe.refunds.create({ payment_intent: intentId, amount: 1 }));
    expect(already.code).toBe("charge_already_refunded");

    await waitFor(() => receiver.events.length === 3, "two charge.refunded events");
    const refunds = receiver.events.filter((event) => event.type === "charge.refunded").map((event) => event.data.object as Stripe.Charge);
    expect(refunds.map((charge) => [charge.amount, charge.amount_refunded, charge.refunded])).toEqual([
      [168935, 19435, false],
      [168935, 168935, true],
    ]);
    expect(refunds[1].refunds?.data.map((refund) => refund.id)).toEqual([rest.id, partial.id]);
    expect(receiver.events[1].request?.idempotency_key).toBe("refund-42-1");

    // A payment still being confirmed cannot be refunded. Its own emulator confirms it only after
    // a minute: this one's 50 ms could pass between two requests on a busy machine.
    const slow = await setup({ asyncDelayMs: 60_000, receiver: false });
    const unpaid = await slow.stripe.checkout.sessions.create(sessionParams());
    slow.emulator.pay(unpaid.id, "delayed");
    const pending = (await slow.stripe.checkout.sessions.retrieve(unpaid.id)).payment_intent as string;
    const notYet = await rejection(slow.stripe.refunds.create({ payment_intent: pending }));
    expect(notYet.message).toMatch(/does not have a successful charge to refund/);
  });
});

describe("webhook faults and API outages", () => {
  it("delivers duplicates, with delay", async () => {
    const { stripe, emulator, receiver } = await setup();
    emulator.setWebhookFaults({ duplicates: 3, delayMs: 30 });
    const session = await stripe.checkout.sessions.create(sessionParams());
    emulator.pay(session.id, "success");
    expect(receiver.events).toHaveLength(0);
    await emulator.webhooksIdle();
    expect(receiver.events).toHaveLength(3);
    expect(new Set(receiver.events.map((event) => event.id)).size).toBe(1);
  });

  it("holds events in manual mode and flushes them shuffled", async () => {
    const { stripe, emulator, receiver } = await setup();
    emulator.webhooks.mode = "manual";
    emulator.setWebhookFaults({ shuffle: true, duplicates: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const session = await stripe.checkout.sessions.create(sessionParams());
      emulator.pay(session.id, "success");
      ids.push(session.id);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.events).toHaveLength(0);
    await emulator.flushWebhooks();
    expect(receiver.events).toHaveLength(8);
    const delivered = receiver.events.map((event) => (event.data.object as Stripe.Checkout.Session).id);
    expect([...new Set(delivered)].sort()).toEqual([...ids].sort());
  });

  it("drops events it is told to drop, and redelivers on request", async () => {
    const { stripe, emulator, receiver } = await setup();
    emulator.setWebhookFaults({ drop: (event) => event.type === "checkout.session.completed" });
    const session = await stripe.checkout.sessions.create(sessionParams());
    emulator.pay(session.id, "success");
    await stripe.refunds.create({ payment_intent: (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string });
    await emulator.webhooksIdle();
    expect(receiver.events.map((event) => event.type)).toEqual(["charge.refunded"]);
    const dropped = emulator.events().find((event) => event.type === "checkout.session.completed")!;
    expect(emulator.deliveries().find((record) => record.eventId === dropped.id)?.error).toMatch(/dropped/);

    const record = await emulator.redeliver(dropped.id);
    expect(record).toMatchObject({ ok: true, status: 200, redelivery: true });
    expect(receiver.events.map((event) => event.id)).toContain(dropped.id);
  });

  it("retries failed deliveries with backoff", async () => {
    const { stripe, emulator, receiver } = await setup();
    receiver.failNext(2);
    const session = await stripe.checkout.sessions.create(sessionParams());
    emulator.pay(session.id, "success");
    await emulator.webhooksIdle();
    expect(receiver.events).toHaveLength(1);
    expect(emulator.deliveries().map((record) => [record.attempt, record.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);

    receiver.failNext(10);
    emulator.pay((await stripe.checkout.sessions.create(sessionParams())).id, "success");
    await emulator.webhooksIdle();
    expect(emulator.deliveries().slice(3).map((record) => record.attempt)).toEqual([1, 2, 3, 4]);
    expect(receiver.events).toHaveLength(1);
  });

  it("fails an attempt the endpoint does not answer in time, says how long it waited, and retries", async () => {
    // An endpoint that answers its first request after 2 s and the rest at once.
    let seen = 0;
    const slow = createServer((req, res) => {
      req.resume();
      if (seen++ === 0) setTimeout(() => res.writeHead(200).end("late"), 2000);
      else res.writeHead(200).end("ok");
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => (slow.closeAllConnections(), slow.close(() => resolve()))));
    const { stripe, emulator } = await setup({ receiver: false, webhookAttemptTimeoutMs: 150 });
    emulator.setWebhookUrl(`http://127.0.0.1:${(slow.address() as AddressInfo).port}/webhooks/stripe`);
    emulator.pay((await stripe.checkout.sessions.create(sessionParams())).id, "success");
    await emulator.webhooksIdle();
    const [first, second] = emulator.deliveries();
    expect(first).toMatchObject({ attempt: 1, ok: false, status: null, error: "no answer within 150 ms" });
    expect(first!.ms).toBeGreaterThanOrEqual(140);
    expect(first!.ms).toBeLessThan(1500);
    expect(second).toMatchObject({ attempt: 2, ok: true, status: 200 });
  });

  it("fails the next matching API requests without changing anything", async () => {
    const { stripe, emulator } = await setup({ receiver: false });
    emulator.failNext("POST", "/v1/checkout/sessions");
    const outage = await rejection(stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: "during-outage" }));
    expect(outage).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(outage.statusCode).toBe(500);
    expect(emulator.sessions()).toHaveLength(0);
    const recovered = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: "during-outage" });
    expect(recovered.status).toBe("open");

    emulator.failNext("GET", /^\/v1\/checkout\/sessions\/cs_/, 2, { status: 429, type: "rate_limit_error", message: "Too many requests", code: "rate_limit" });
    expect(await rejection(stripe.checkout.sessions.retrieve(recovered.id))).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(await rejection(stripe.checkout.sessions.retrieve(recovered.id))).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect((await stripe.checkout.sessions.retrieve(recovered.id)).id).toBe(recovered.id);
  });

  it("exposes the controls over HTTP for browser tests", async () => {
    const { stripe, emulator, receiver } = await setup();
    const control = (path: string, body?: unknown) =>
      fetch(`${emulator.url}/__emulator/${path}`, body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

    expect((await control("webhooks", { mode: "manual", duplicates: 2 })).status).toBe(200);
    const session = await stripe.checkout.sessions.create(sessionParams());
    const paid = (await (await control(`sessions/${session.id}/pay`, { outcome: "success" })).json()) as Stripe.Checkout.Session;
    expect(paid.status).toBe("complete");
    expect(receiver.events).toHaveLength(0);
    expect((await control("webhooks/flush", {})).status).toBe(200);
    expect(receiver.events).toHaveLength(2);

    const { data } = (await (await control("events")).json()) as { data: { id: string; type: string }[] };
    expect(data.map((event) => event.type)).toEqual(["checkout.session.completed"]);
    await control(`events/${data[0].id}/redeliver`, {});
    expect(receiver.events).toHaveLength(3);

    await control("fail-next", { method: "GET", pathRegex: "^/v1/checkout/sessions", times: 1 });
    expect(await rejection(stripe.checkout.sessions.list())).toBeInstanceOf(Stripe.errors.StripeAPIError);

    const open = await stripe.checkout.sessions.create(sessionParams());
    await control("clock", { advanceMs: 2 * 3600 * 1000 });
    expect((await stripe.checkout.sessions.retrieve(open.id)).status).toBe("expired");
    expect((await control("nope", {})).status).toBe(404);
  });
});
