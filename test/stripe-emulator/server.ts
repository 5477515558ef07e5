// A local stand-in for api.stripe.com that the official SDK talks to (see README.md): the `/v1`
// endpoints the app uses, a hosted Checkout page at `/pay/:id`, signed webhooks, and a control API
// (on the returned object and under `/__emulator/`) for tests to steer payments, time and faults.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { StripeApi } from "./api";
import { StripeApiError, type StripeErrorType } from "./errors";
import { FormBodyError, parseFormBody, type FormObject } from "./form-body";
import { IdempotencyStore } from "./idempotency";
import { checkoutPage, notFoundPage, receiptPage, successRedirect } from "./page";
import { EmulatorState, newId, type CheckoutSession, type PaymentOutcome, type SessionView } from "./state";
import { WebhookDispatcher, type DeliveryRecord, type StripeEvent, type WebhookFaults, type WebhookSettings } from "./webhooks";

export type { CheckoutSession, PaymentOutcome } from "./state";
export type { DeliveryRecord, StripeEvent, WebhookFaults, WebhookSettings } from "./webhooks";
export { StripeApiError } from "./errors";

export interface StripeEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Where events are POSTed; without it events are only recorded. */
  webhookUrl?: string;
  webhookSecret: string;
  log?: (line: string) => void;
  /** Time between "Pay with 3-D Secure (delayed)" and the async payment result. Default 1500. */
  asyncDelayMs?: number;
  /** How long each API request takes to answer, as Stripe's does over the internet. Default 0. */
  apiLatencyMs?: number;
  /** Waits before each webhook retry; its length is the number of retries. Default [100, 400, 1600]. */
  webhookRetryDelaysMs?: number[];
  /** How long an endpoint may take to answer a delivery before the attempt fails (10 s, as Stripe). */
  webhookAttemptTimeoutMs?: number;
  /** Default "immediate". */
  webhookMode?: WebhookSettings["mode"];
  /** Test clock (milliseconds since the epoch) for `created`, `expires_at` and expiry. Default Date.now. */
  now?: () => number;
}

export interface FailureSpec {
  status?: number;
  type?: StripeErrorType;
  message?: string;
  code?: string;
}

export interface StripeEmulator {
  /** e.g. http://127.0.0.1:54321 */
  url: string;
  port: number;
  stop(): Promise<void>;
  /**
   * Same as pressing a button on the hosted page. Returns the updated session; for "declined" it
   * throws a StripeApiError (402, `card_declined`, "Your card was declined.") and the session stays
   * open. Throws a StripeApiError (400) when the session is not open. "delayed_failure" has no
   * button: the session completes unpaid and `checkout.session.async_payment_failed` follows.
   */
  pay(sessionId: string, outcome: PaymentOutcome): CheckoutSession;
  /** Pays even an expired session (a payment that raced the expiry); sends checkout.session.completed. */
  forcePay(sessionId: string): CheckoutSession;
  events(): StripeEvent[];
  sessions(): CheckoutSession[];
  /** Every delivery attempt, in order. */
  deliveries(): DeliveryRecord[];
  /** Mutable: `emulator.webhooks.mode = "manual"`. */
  webhooks: WebhookSettings;
  setWebhookFaults(faults: WebhookFaults): void;
  /** Delivers everything queued (manual mode) and waits until no delivery is in progress. */
  flushWebhooks(): Promise<void>;
  /** Waits until no delivery (including retries) is in progress, without flushing the queue. */
  webhooksIdle(): Promise<void>;
  redeliver(eventId: string): Promise<DeliveryRecord>;
  /** The next `times` `/v1` requests matching answer with a Stripe-style error and change nothing. */
  failNext(method: string, pathPattern: string | RegExp, times?: number, error?: FailureSpec): void;
  setWebhookUrl(url: string | undefined): void;
  /** How long each API request takes to answer from now on (see `apiLatencyMs`). */
  setApiLatency(ms: number): void;
  /** Moves the emulator's clock forward (on top of `now`) and expires what is due. */
  advanceClock(ms: number): void;
}

interface FailureRule {
  method: string;
  pattern: string | RegExp;
  remaining: number;
  status: number;
  body: { type: StripeErrorType; message: string; code?: string };
}

const MAX_BODY_BYTES = 1024 * 1024;
const EXPIRY_SWEEP_MS = 1000;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Stripe pretty-prints its JSON.
  const text = typeof body === "string" ? body : JSON.stringify(body, null, 2);
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-cache, no-store", ...headers });
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  res.end(html);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { Location: location });
  res.end();
}

const redact = (key: string) => (key.length > 12 ? `${key.slice(0, 8)}${"*".repeat(key.length - 12)}${key.slice(-4)}` : key);

/** Bearer (what the SDK sends) or Basic with the key as user name, as Stripe accepts. */
function authenticate(header: string | undefined): StripeApiError | null {
  const fail = (message: string) => new StripeApiError(401, { type: "invalid_request_error", message });
  if (!header) {
    return fail(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  const [scheme, credentials = ""] = header.trim().split(/\s+/, 2);
  let key = "";
  if (/^bearer$/i.test(scheme)) key = credentials;
  else if (/^basic$/i.test(scheme)) key = Buffer.from(credentials, "base64").toString("utf8").split(":")[0];
  else return fail(`Invalid API Key provided: ${redact(header)}`);
  // Only test-mode keys: a live key pointed at the emulator is a configuration mistake.
  if (!/^(sk|rk)_test_\w+$/.test(key)) return fail(`Invalid API Key provided: ${redact(key)}`);
  return null;
}

export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? (() => {});
  const baseNow = options.now ?? Date.now;
  let clockOffset = 0;
  const now = () => baseNow() + clockOffset;
  let baseUrl = "";

  const timers = new Set<NodeJS.Timeout>();
  const schedule = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  const webhooks = new WebhookDispatcher({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    now,
    log,
    settings: {
      mode: options.webhookMode ?? "immediate",
      retryDelaysMs: options.webhookRetryDelaysMs ?? [100, 400, 1600],
      attemptTimeoutMs: options.webhookAttemptTimeoutMs ?? 10_000,
    },
  });
  const state = new EmulatorState({
    now,
    emit: (type, object, cause) => void webhooks.record(type, object, cause),
    schedule,
    asyncDelayMs: () => options.asyncDelayMs ?? 1500,
    baseUrl: () => baseUrl,
  });
  const api = new StripeApi(state, webhooks);
  const idempotency = new IdempotencyStore(now);
  const failures: FailureRule[] = [];
  let apiLatencyMs = options.apiLatencyMs ?? 0;

  function takeFailure(method: string, path: string): FailureRule | undefined {
    const index = failures.findIndex(
      (rule) =>
        (rule.method === "*" || rule.method === method) && (typeof rule.pattern === "string" ? rule.pattern === path : rule.pattern.test(path)),
    );
    if (index === -1) return undefined;
    const rule = failures[index];
    rule.remaining -= 1;
    if (rule.remaining <= 0) failures.splice(index, 1);
    return rule;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const headers: Record<string, string> = {
      "Request-Id": requestId,
      "Stripe-Version": String(req.headers["stripe-version"] ?? Stripe.API_VERSION),
    };
    const raw = await readBody(req);
    if (apiLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, apiLatencyMs));
    const reply = (status: number, body: unknown) => {
      log(`${method} ${path} → ${status}`);
      sendJson(res, status, body, headers);
    };

    const failure = takeFailure(method, path);
    if (failure) return reply(failure.status, { error: failure.body });
    const authError = authenticate(req.headers.authorization);
    if (authError) return reply(authError.status, authError.toJSON());

    const contentType = String(req.headers["content-type"] ?? "");
    if (method === "POST" && raw !== "" && !contentType.startsWith("application/x-www-form-urlencoded")) {
      const message = `Invalid request: unsupported Content-Type ${contentType || "(none)"}. Stripe expects application/x-www-form-urlencoded.`;
      return reply(400, { error: { type: "invalid_request_error", message } });
    }
    let params: FormObject;
    try {
      params = parseFormBody(method === "POST" ? raw : url.search.slice(1));
    } catch (error) {
      if (error instanceof FormBodyError) return reply(400, { error: { type: "invalid_request_error", message: error.message, param: error.param } });
      throw error;
    }

    const key = method === "POST" ? (req.headers["idempotency-key"] as string | undefined) : undefined;
    const endpoint = `${method} ${path}`;
    if (key) {
      headers["Idempotency-Key"] = key;
      try {
        const saved = idempotency.lookup(key, endpoint, params);
        if (saved) {
          headers["Idempotent-Replayed"] = "true";
          headers["Original-Request"] = saved.requestId;
          return reply(saved.status, saved.body);
        }
      } catch (error) {
        if (error instanceof StripeApiError) return reply(error.status, error.toJSON());
        throw error;
      }
    }

    let status: number;
    let body: string;
    let save = true;
    try {
      const result = api.handle({ method, path, params, requestId, idempotencyKey: key ?? null });
      status = result.status;
      body = JSON.stringify(result.body, null, 2);
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      status = error.status;
      body = JSON.stringify(error.toJSON(), null, 2);
      save = error.saved;
    }
    if (key && save) idempotency.save(key, endpoint, params, { status, body, requestId });
    reply(status, body);
  }

  async function handlePage(req: IncomingMessage, res: ServerResponse, sessionId: string): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    let view: SessionView;
    try {
      view = state.sessionView(sessionId);
    } catch (error) {
      if (error instanceof StripeApiError && error.status === 404) return sendHtml(res, 404, notFoundPage(`checkout session ${sessionId}`));
      throw error;
    }
    if (method === "GET" || method === "HEAD") return sendHtml(res, 200, checkoutPage(view));
    if (method !== "POST") {
      res.writeHead(405, { Allow: "GET, HEAD, POST" });
      return void res.end();
    }

    const form = new URLSearchParams(await readBody(req));
    const outcome = form.get("outcome");
    const email = form.get("email")?.trim() || undefined;
    if (view.session.status !== "open") return sendHtml(res, 200, checkoutPage(view));
    if (outcome === "cancel" && view.session.cancel_url) return redirect(res, view.session.cancel_url);
    if (outcome !== "success" && outcome !== "declined" && outcome !== "delayed") {
      return sendHtml(res, 400, checkoutPage(view, { error: "Choose one of the payment buttons.", email }));
    }
    if (!view.session.customer_email && (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) {
      return sendHtml(res, 200, checkoutPage(view, { error: "Enter a valid email address.", email }));
    }
    try {
      state.pay(sessionId, outcome, { email });
      log(`checkout ${sessionId}: ${outcome}`);
      redirect(res, successRedirect(view.session.success_url, sessionId));
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      sendHtml(res, 200, checkoutPage(state.sessionView(sessionId), { error: error.body.message, email }));
    }
  }

  async function handleReceipt(res: ServerResponse, chargeId: string): Promise<void> {
    try {
      sendHtml(res, 200, receiptPage(state.getCharge(chargeId)));
    } catch (error) {
      if (error instanceof StripeApiError && error.status === 404) return sendHtml(res, 404, notFoundPage(`charge ${chargeId}`));
      throw error;
    }
  }

  const emulator: StripeEmulator = {
    url: "",
    port: 0,
    webhooks: webhooks.settings,
    stop,
    pay: (sessionId, outcome) => state.pay(sessionId, outcome),
    forcePay: (sessionId) => state.pay(sessionId, "success", { force: true }),
    events: () => webhooks.list(),
    sessions: () => state.listSessions(),
    deliveries: () => webhooks.deliveries(),
    setWebhookFaults: (faults) => webhooks.setFaults(faults),
    flushWebhooks: () => webhooks.flush(),
    webhooksIdle: () => webhooks.idle(),
    redeliver: (eventId) => webhooks.redeliver(eventId),
    failNext(method, pathPattern, times = 1, error = {}) {
      failures.push({
        method: method.toUpperCase(),
        pattern: pathPattern,
        remaining: times,
        status: error.status ?? 500,
        body: {
          type: error.type ?? "api_error",
          message: error.message ?? "An unknown error occurred (injected by the Stripe test emulator).",
          ...(error.code ? { code: error.code } : {}),
        },
      });
    },
    setWebhookUrl: (url) => webhooks.setUrl(url),
    setApiLatency: (ms) => {
      apiLatencyMs = ms;
    },
    advanceClock(ms) {
      clockOffset += ms;
      state.sweepExpired();
    },
  };

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const raw = method === "POST" ? await readBody(req) : "";
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return sendJson(res, 400, { error: { type: "invalid_request_error", message: "Control requests take a JSON body." } });
    }
    const route = `${method} ${path}`;
    const sessionAction = /^POST \/__emulator\/sessions\/([^/]+)\/(pay|force-pay)$/.exec(route);
    const redeliver = /^POST \/__emulator\/events\/([^/]+)\/redeliver$/.exec(route);
    try {
      if (route === "GET /__emulator/events") return sendJson(res, 200, { data: emulator.events() });
      if (route === "GET /__emulator/sessions") return sendJson(res, 200, { data: emulator.sessions() });
      if (route === "GET /__emulator/deliveries") return sendJson(res, 200, { data: emulator.deliveries() });
      if (route === "POST /__emulator/webhooks") {
        const { mode, url, ...faults } = body as WebhookFaults & { mode?: WebhookSettings["mode"]; url?: string | null };
        if (mode !== undefined) {
          if (mode !== "immediate" && mode !== "manual") throw new RangeError('mode must be "immediate" or "manual"');
          emulator.webhooks.mode = mode;
        }
        if (url !== undefined) emulator.setWebhookUrl(url ?? undefined);
        if (typeof faults.drop === "function") throw new RangeError("drop must be a boolean over HTTP");
        emulator.setWebhookFaults(faults);
        return sendJson(res, 200, { mode: emulator.webhooks.mode, queued: webhooks.queued(), faults: webhooks.currentFaults() });
      }
      if (route === "POST /__emulator/webhooks/flush") {
        await emulator.flushWebhooks();
        return sendJson(res, 200, { queued: webhooks.queued() });
      }
      if (redeliver) return sendJson(res, 200, await emulator.redeliver(decodeURIComponent(redeliver[1])));
      if (sessionAction) {
        const id = decodeURIComponent(sessionAction[1]);
        const outcome = (body.outcome ?? "success") as PaymentOutcome;
        const session = sessionAction[2] === "pay" ? emulator.pay(id, outcome) : emulator.forcePay(id);
        return sendJson(res, 200, session);
      }
      if (route === "POST /__emulator/fail-next") {
        const { method: failMethod = "*", path: failPath, pathRegex, times, error } = body as {
          method?: string;
          path?: string;
          pathRegex?: string;
          times?: number;
          error?: FailureSpec;
        };
        const pattern = pathRegex !== undefined ? new RegExp(pathRegex) : failPath;
        if (pattern === undefined) throw new RangeError("fail-next needs `path` or `pathRegex`");
        emulator.failNext(failMethod, pattern, times, error);
        return sendJson(res, 200, { ok: true });
      }
      if (route === "POST /__emulator/clock") {
        const advanceMs = Number(body.advanceMs);
        if (!Number.isFinite(advanceMs) || advanceMs < 0) throw new RangeError("advanceMs must be a number ≥ 0");
        emulator.advanceClock(advanceMs);
        return sendJson(res, 200, { now: now() });
      }
      return sendJson(res, 404, { error: { type: "invalid_request_error", message: `No control endpoint ${route}. See test/stripe-emulator/README.md.` } });
    } catch (error) {
      if (error instanceof StripeApiError) return sendJson(res, error.status, error.toJSON());
      if (error instanceof RangeError || (error instanceof Error && error.message.startsWith("No such event"))) {
        return sendJson(res, 400, { error: { type: "invalid_request_error", message: error.message } });
      }
      throw error;
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const path = url.pathname;
    // Browsers ask for an icon on every page; "no content" keeps their consoles quiet.
    if (path === "/favicon.ico") return void res.writeHead(204).end();
    const page = /^\/pay\/([^/]+)$/.exec(path);
    const receipt = /^\/receipts\/([^/]+)$/.exec(path);
    const handled = path.startsWith("/v1/")
      ? handleApi(req, res, url, newId("req", 14))
      : path.startsWith("/__emulator/")
        ? handleControl(req, res, path)
        : page
          ? handlePage(req, res, decodeURIComponent(page[1]))
          : receipt
            ? handleReceipt(res, decodeURIComponent(receipt[1]))
            : Promise.resolve(sendHtml(res, 404, notFoundPage(`page ${path}`)));
    handled.catch((error: unknown) => {
      const status = error instanceof BodyTooLarge ? 413 : 500;
      log(`${req.method} ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) sendJson(res, status, { error: { type: "api_error", message: status === 413 ? "Request body too large." : "Stripe test emulator error." } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  baseUrl = `http://${urlHost}:${port}`;
  emulator.url = baseUrl;
  emulator.port = port;

  const sweeper = setInterval(() => state.sweepExpired(), EXPIRY_SWEEP_MS);
  sweeper.unref();
  log(`Stripe test emulator listening on ${baseUrl}`);

  let stopped: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopped ??= new Promise<void>((resolve) => {
      clearInterval(sweeper);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      webhooks.stop();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return stopped;
  }

  return emulator;
}

/** A Stripe client pointed at the emulator, configured the way the app configures its own. */
export function stripeClientFor(emulatorUrl: string, key = "sk_test_emulator"): Stripe {
  const url = new URL(emulatorUrl);
  return new Stripe(key, {
    host: url.hostname,
    port: Number(url.port) || (url.protocol === "https:" ? 443 : 80),
    protocol: url.protocol === "https:" ? "https" : "http",
    maxNetworkRetries: 0,
    telemetry: false,
  });
}
