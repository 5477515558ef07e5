// Express middleware shared by every response. The Content-Security-Policy (with its nonce) is
// set per document in app/entry.server.tsx, where the nonce is known.
import type { RequestHandler } from "express";
import { log } from "./log.server";

export function securityHeaders(production: boolean): RequestHandler {
  return (_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    // A default only: pages behind a secret link send their own "no-referrer", and Remix adds
    // route headers with append, which would have sent both.
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
      if (!this.hasHeader("Referrer-Policy")) this.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
      return writeHead.apply(this, args);
    } as typeof res.writeHead;
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()");
    if (production) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}

export const requestLog: RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const fields = { method: req.method, path: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
    if (res.statusCode >= 500) log.error("request", fields);
    else log.info("request", fields);
  });
  next();
};
