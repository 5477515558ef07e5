// An instance that has been told to stop (server.ts, on SIGTERM or Ctrl-C) keeps serving for the
// drain period (SHUTDOWN_DRAIN_SECONDS) while its load balancer notices: /healthz says 503, and
// every answer closes its connection, so that the next request goes out on a new connection,
// which the load balancer gives to another instance. server.ts reaches this module through the
// build (serverRuntime), so the routes see the same state.
import type { RequestHandler, Response } from "express";

let draining = false;

export function startDraining() {
  draining = true;
}

export function isDraining() {
  return draining;
}

/** While draining, every answer says `Connection: close`, including those of requests that came before. */
export const closeConnectionsWhenDraining: RequestHandler = (_req, res, next) => {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
    if (draining) this.setHeader("Connection", "close");
    return writeHead.apply(this, args);
  } as Response["writeHead"];
  next();
};
