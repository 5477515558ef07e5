import { createHash, createHmac, randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import type { EntryContext, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";
import { env } from "~/services/env.server";
import { documentSecurityPolicy } from "~/services/http.server";
import { log } from "~/services/log.server";
import { RETRY_AFTER_SECONDS } from "~/services/outage.server";
import { errorCacheControl } from "~/services/request-guards.server";

// server.ts reaches the jobs and its middlewares through the build, so both share its modules.
export { serverRuntime } from "./server-runtime.server";

const ABORT_DELAY = 5_000;
// Random per process, so no page content can contain it by accident.
const NONCE_PLACEHOLDER = randomBytes(18).toString("base64url");

// Pages are rendered whole (no streaming) so that each response can carry an ETag and a nonce
// derived from its bytes: the same page gets the same nonce, which lets a CDN or a browser reuse
// it after a 304 while the Content-Security-Policy still matches, and an attacker who changes the
// page cannot predict the new one (it is an HMAC under the session secret).
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  return new Promise<Response>((resolve, reject) => {
    let abortTimer: NodeJS.Timeout | undefined;
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on("data", (chunk: Buffer) => chunks.push(chunk));
    sink.on("error", reject);
    sink.on("end", () => {
      clearTimeout(abortTimer);
      const rendered = Buffer.concat(chunks).toString("utf8");
      const digest = createHash("sha256").update(rendered).digest("base64url");
      const nonce = createHmac("sha256", env().SESSION_SECRET).update(digest).digest("base64url").slice(0, 24);
      const body = rendered.replaceAll(NONCE_PLACEHOLDER, nonce);
      const etag = `W/"${digest.slice(0, 27)}"`;
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      responseHeaders.set("Content-Security-Policy", documentSecurityPolicy(nonce, env().NODE_ENV === "production"));
      // A failed page keeps the headers of the route that failed, public caching included; an
      // error must never be stored in place of the page.
      if (responseStatusCode >= 400) responseHeaders.set("Cache-Control", errorCacheControl(responseHeaders.get("Cache-Control")));
      // The database is unavailable (outage.server.ts): Remix keeps only cookies of the headers
      // thrown with the error, so the time to come back is said here.
      if (responseStatusCode === 503) responseHeaders.set("Retry-After", String(RETRY_AFTER_SECONDS));
      if (responseStatusCode === 200 && request.method === "GET") {
        responseHeaders.set("ETag", etag);
        if (matchesEtag(request.headers.get("If-None-Match"), etag)) {
          resolve(new Response(null, { status: 304, headers: responseHeaders }));
          return;
        }
      }
      resolve(new Response(body, { status: responseStatusCode, headers: responseHeaders }));
    });

    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={NONCE_PLACEHOLDER}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={NONCE_PLACEHOLDER} />
      </NonceProvider>,
      {
        nonce: NONCE_PLACEHOLDER,
        onAllReady() {
          pipe(sink);
        },
        onShellError(error) {
          reject(error);
        },
        onError(error) {
          responseStatusCode = 500;
          log.error("render failed", { url: request.url, error: error instanceof Error ? error.stack : String(error) });
        },
      },
    );
    abortTimer = setTimeout(abort, ABORT_DELAY + 1000);
  });
}

/** A `.data` request's answer: a 503 (the database is unavailable) says when to come back, as a page does. */
export function handleDataRequest(response: Response) {
  if (response.status === 503) response.headers.set("Retry-After", String(RETRY_AFTER_SECONDS));
  return response;
}

/**
 * Errors of loaders, actions and Remix itself go to our log. Remix's default wrote each one with
 * console.error and its stack, including its own answers to requests no route takes (a post where
 * there is no action: 405; OPTIONS; no route: 404): anyone could fill the error log with traces.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  const url = request.url;
  if (isRouteErrorResponse(error) && error.status < 500) return log.debug("request refused", { url, status: error.status });
  // Remix warns this way of `?_data=` requests, which a single-fetch app's own pages never make.
  if (error instanceof Error && error.message.startsWith("Warning:")) return log.warn(error.message, { url });
  log.error("request failed", { url, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
};

function matchesEtag(header: string | null, etag: string) {
  if (!header) return false;
  return header.split(",").some((candidate) => candidate.trim() === etag || candidate.trim() === "*");
}
