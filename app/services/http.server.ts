// The security headers every response gets, through helmet. The Content-Security-Policy is the
// exception: its script nonce is derived from the rendered page (app/entry.server.tsx), long after
// this middleware ran, so each page sets its own with documentSecurityPolicy.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, RequestHandler } from "express";
import helmet, { contentSecurityPolicy } from "helmet";
import { log } from "./log.server";
import { observeRequest } from "./metrics.server";
import { isDraining } from "./shutdown.server";
import { checkoutOrigin } from "./stripe.server";
import type { WorkQueue } from "./work-queue.server";

export function securityHeaders(production: boolean): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: false,
    crossOriginOpenerPolicy: { policy: "same-origin" },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    strictTransportSecurity: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xFrameOptions: { action: "deny" },
  });
  return (req, res, next) => {
    // A default only: pages behind a secret link send their own "no-referrer", and Remix adds
    // route headers with append, which would have sent both.
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
      const policy = this.getHeader("Referrer-Policy");
      if (Array.isArray(policy)) this.setHeader("Referrer-Policy", policy[policy.length - 1]!);
      return writeHead.apply(this, args);
    } as typeof res.writeHead;
    // Helmet has no Permissions-Policy; the camera is for badge scanning.
    res.setHeader("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()");
    headers(req, res, next);
  };
}

/** The Content-Security-Policy of a page whose scripts carry `nonce`. */
export function documentSecurityPolicy(nonce: string, production: boolean): string {
  let header = "";
  // Helmet's middleware only calls setHeader on the response, so a sink stands in for one here.
  const sink = { setHeader: (_name: string, value: string) => void (header = value) };
  contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", `'nonce-${nonce}'`],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:", "blob:"],
      fontSrc: ["'self'"],
      // The development server's live reload.
      connectSrc: production ? ["'self'"] : ["'self'", "ws:"],
      mediaSrc: ["'self'", "blob:"],
      // The check-in page's service worker (public/check-in-sw.js), so that it opens offline.
      workerSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      // Checkout forms redirect to Stripe's hosted page.
      formAction: ["'self'", checkoutOrigin()],
      frameAncestors: ["'none'"],
    },
  })({} as never, sink as unknown as ServerResponse, () => {});
  return header;
}

/** Query parameters that carry a secret: an order's key, a password link's token, a waitlist offer. */
const SECRET_PARAMS = ["k", "token", "offer"];

/**
 * A request's address as the log shows it, without the secrets some links carry: the key of an
 * order (`?k=`), a set-password token, a waitlist offer, and an attendee's ticket token
 * (`/my/<token>`). Whoever reads the logs must not be able to open buyers' orders and tickets.
 */
export function loggedPath(originalUrl: string) {
  const at = originalUrl.indexOf("?");
  const path = (at < 0 ? originalUrl : originalUrl.slice(0, at)).replace(/^\/my\/[^/]+/, "/my/redacted");
  if (at < 0) return path;
  const params = new URLSearchParams(originalUrl.slice(at + 1));
  for (const name of SECRET_PARAMS) if (params.has(name)) params.set(name, "redacted");
  return `${path}?${params}`;
}

export const requestLog: RequestHandler = (req, res, next) => {
  logWhenAnswered(req, res, req.path);
  next();
};

/**
 * Logs and counts (observeRequest) a request once its answer has gone out; `path` is its address's
 * path as Express reads it (req.path). Called on its arrival, before anything rewrote its url:
 * by requestLog, and by server.ts for the page copies it answers before Express runs.
 */
export function logWhenAnswered(req: IncomingMessage, res: ServerResponse, path: string) {
  const started = process.hrtime.bigint();
  const { method = "", url = "" } = req;
  res.once("finish", () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    observeRequest(method, path, res.statusCode, ms / 1000);
    // A draining instance's 503 (/healthz) is what it should say, not a failure.
    const level = res.statusCode >= 500 && !(res.statusCode === 503 && isDraining()) ? "error" : "info";
    if (log.writes(level)) log[level]("request", { method, path: loggedPath(url), status: res.statusCode, ms: Math.round(ms * 10) / 10 });
  });
}

/**
 * Checkout posts take turns (checkoutQueue) from the moment their form has arrived, before
 * Remix builds a request from them: in a rush the app then works on a few buyers at a time, in
 * the order they came, and holds the first seats within a second rather than after it has parsed
 * every buyer's form. A buyer whose form is still on its way waits outside the queue, so a slow
 * client holds no turn. The action ends the turn once the seats are held (`leaveCheckoutQueue`
 * in the load context); a response that ends before that ends it too.
 */
export function checkoutAdmission(queue: WorkQueue): RequestHandler {
  return async (req, res, next) => {
    let closed = false;
    let leave: (() => void) | undefined;
    res.once("close", () => {
      closed = true;
      leave?.();
    });
    await formArrived(req);
    if (closed) return;
    leave = await queue.enter();
    // The buyer gave up while waiting: the turn goes to the next one.
    if (closed) return leave();
    res.locals.leaveCheckoutQueue = leave;
    res.locals.plainFormPost = !req.path.endsWith(".data");
    next();
  };
}

/**
 * Seats first: a buyer's payment step (`/orders/:ref/pay`, which asks Stripe for their Checkout
 * Session) waits while other buyers' checkouts are being worked on, up to `maxWaitMs`. The waiting
 * buyer's seats are already held; in a rush, the next buyers' holds and refusals are answered
 * first, and the payment pages open right after. (Waiting only until nobody queued was not
 * enough: the payment steps then took the database's connections from the last checkouts.)
 */
export function seatsFirst(queue: WorkQueue, maxWaitMs: number): RequestHandler {
  return async (_req, _res, next) => {
    await queue.whenIdle(maxWaitMs);
    next();
  };
}

/**
 * Resolves once the request's whole body is buffered (without reading it), or the request is gone.
 * A body without a length, or longer than the stream buffers on its own, is not waited for.
 */
function formArrived(req: Request) {
  const length = Number(req.headers["content-length"]);
  const arrived = () =>
    req.complete || !Number.isFinite(length) || length > req.readableHighWaterMark || req.readableLength >= length;
  if (arrived()) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const check = () => {
      if (arrived()) done();
    };
    const done = () => {
      req.removeListener("readable", check);
      req.removeListener("close", done);
      resolve();
    };
    req.on("readable", check);
    req.once("close", done);
  });
}
