// Requests that no route can read are refused here, before Remix, with a 4xx that says what is
// wrong and what to do. Left to Remix and PostgreSQL, each of them was an empty or traced 500:
// a body that is not a form or a broken one, a NUL byte, an undecodable address or host, a post
// from another origin, a body of any size (issue 15).
import type { IncomingMessage } from "node:http";
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from "express";
import { log } from "./log.server";
import { isOutage, OUTAGE_TITLE, outageMessages, RETRY_AFTER_SECONDS } from "./outage.server";

export type RequestGuardOptions = {
  /** The largest form a route reads, in bytes. */
  formLimit: number;
  /** Routes whose forms carry an image, and the largest form they take. */
  uploadPaths: RegExp;
  uploadLimit: number;
  /** Routes that read a body other than a form (Stripe's JSON events): checked for size only. */
  rawBodyPaths: RegExp;
  /** Routes called by script, which answer JSON (besides every `.data` request). */
  jsonPaths: RegExp;
};

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

type Refusal = { status: number; title: string; message: string };

const refusals = {
  badAddress: {
    status: 400,
    title: "That address is not valid",
    message: "The link is damaged (it has characters that do not belong in a web address). Check where you copied it from, or start again from the home page.",
  },
  badHost: {
    status: 400,
    title: "That address is not valid",
    message:
      "The request named a site (in its Host header) that cannot be part of a web address. Open the page from its link. If you run this site behind a proxy, it must forward the Host header (or X-Forwarded-Host) as the browser sent it.",
  },
  nulInAddress: {
    status: 400,
    title: "That address is not valid",
    message: "The link contains a NUL character (%00), which no page here accepts. Check where you copied it from, or start again from the home page.",
  },
  nulInForm: {
    status: 400,
    title: "The form contains a character we cannot store",
    message: "One of the fields contains a NUL character (an invisible control character, often pasted by accident). Remove it and send the form again.",
  },
  crossOrigin: {
    status: 403,
    title: "This form was sent from another site",
    message:
      "For your safety we only accept forms sent from this site's own pages. Open the page on this site and send the form from there. If you run this site behind a proxy, it must forward the Host header (or X-Forwarded-Host) as the browser sent it.",
  },
  noHost: {
    status: 403,
    title: "We cannot tell which site this form was sent to",
    message:
      "The request reached us without a Host header, so we cannot check that the form came from this site's own pages. If you run this site behind a proxy, it must forward the Host header (or X-Forwarded-Host).",
  },
  brokenForm: {
    status: 400,
    title: "The form could not be read",
    message: "What was sent is not a complete web form (its multipart/form-data parts are cut short or malformed). Send the form again from the page.",
  },
  listTooLong: {
    status: 400,
    title: "The form has more items than any form here",
    message: "A field of the form is numbered beyond any list on this site's pages. Send the form again from the page.",
  },
  notAForm: {
    status: 415,
    title: "This page only accepts forms",
    message:
      "The request was not sent as a web form (application/x-www-form-urlencoded, or multipart/form-data with its boundary). Send it from the page's own form, or as one of those two types.",
  },
  tooLarge: {
    status: 413,
    title: "The form is too large",
    message: "What was sent is larger than this page accepts. Shorten the text, or choose a smaller image (at most 2 MB), and send it again.",
  },
  unavailable: {
    status: 503,
    title: OUTAGE_TITLE,
    message: outageMessages.page,
  },
  serverError: {
    status: 500,
    title: "Something went wrong on our side",
    message: "Please try again in a moment. If it keeps happening, write to the organisers.",
  },
} satisfies Record<string, Refusal>;

/** The Cache-Control of an error: `no-store`, unless the route already said so (`private, no-store`). */
export function errorCacheControl(current: unknown): string {
  return typeof current === "string" && /\bno-store\b/.test(current) ? current : "no-store";
}

/**
 * Every answer of 400 or more says `Cache-Control: no-store`, whatever the route set before it
 * failed: an error must not be kept by a browser, a CDN or the page cache in place of the page.
 */
export const errorsNotStored: RequestHandler = (_req, res, next) => {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
    const status = typeof args[0] === "number" ? args[0] : this.statusCode;
    if (status >= 400) this.setHeader("Cache-Control", errorCacheControl(this.getHeader("Cache-Control")));
    return writeHead.apply(this, args);
  } as Response["writeHead"];
  next();
};

/** Refuses, before any route runs, the requests listed at the top of this file. */
export function refuseBadRequests(options: RequestGuardOptions): RequestHandler {
  const guard = async (req: Request, res: Response, next: NextFunction) => {
    const refusal = addressRefusal(req) ?? originRefusal(req) ?? (BODY_METHODS.has(req.method) ? await bodyRefusal(req, options) : null);
    if (!refusal) return next();
    if (refusal === "gone") return;
    answer(req, res, refusal, options.jsonPaths);
  };
  // Express 4 does not catch a rejected promise: an error goes on to the error page.
  return (req, res, next) => void guard(req, res, next).catch(next);
}

/** The last handler: an error nothing else answered gets the short page, never a stack trace. */
export function errorPage(jsonPaths: RegExp): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    // Express's own errors before a route: an undecodable parameter (400), a body over a limit (413).
    const status = (error as { status?: unknown } | null)?.status;
    if (status === 400 || status === 413) return answer(req, res, status === 400 ? refusals.badAddress : refusals.tooLarge, jsonPaths);
    if (isOutage(error, { method: req.method, url: req.originalUrl })) {
      res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
      return answer(req, res, refusals.unavailable, jsonPaths);
    }
    log.error("request failed", { method: req.method, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    answer(req, res, refusals.serverError, jsonPaths);
  };
}

function addressRefusal(req: Request): Refusal | null {
  return hostRefusal(req.protocol, req.hostname) ?? pathRefusal(req.originalUrl);
}

// Remix builds each request's URL from this host (X-Forwarded-Host from a trusted proxy, else
// Host); one that cannot be a URL's host, such as `[::zz]`, failed there with a 500.
function hostRefusal(protocol: string, hostname: string | undefined): Refusal | null {
  return hostname && !URL.canParse(`${protocol}://${hostname}`) ? refusals.badHost : null;
}

function pathRefusal(originalUrl: string): Refusal | null {
  const at = originalUrl.indexOf("?");
  const pathname = at < 0 ? originalUrl : originalUrl.slice(0, at);
  try {
    decodeURIComponent(pathname);
  } catch {
    return refusals.badAddress;
  }
  return /%00|\0/.test(originalUrl) ? refusals.nulInAddress : null;
}

/**
 * Whether refuseBadRequests lets this GET or HEAD of `path` through, decided before Express has
 * seen it (server.ts answers fresh page copies there). Express reads the host and the protocol
 * from a proxy's X-Forwarded-Host and X-Forwarded-Proto only when `trust proxy` trusts the
 * sender; this says yes only when the guards pass either way, and leaves any other request to
 * the guards themselves.
 */
export function passesGuardsBeforeExpress(req: IncomingMessage, path: string): boolean {
  const { method = "", url = "", headers } = req;
  if (BODY_METHODS.has(method) || (originChecked(method, path) && headers.origin !== undefined)) return false;
  const forwardedHost = headers["x-forwarded-host"];
  const forwardedProto = headers["x-forwarded-proto"];
  if (Array.isArray(forwardedHost) || Array.isArray(forwardedProto)) return false;
  const direct = (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
  if (hostRefusal(direct, hostnameOf(headers.host)) || pathRefusal(url)) return false;
  if (!forwardedHost && !forwardedProto) return true;
  // What Express reads when it trusts the sender (req.protocol, req.hostname).
  const protocol = firstOf(forwardedProto || direct).trim();
  const host = forwardedHost ? (forwardedHost.includes(",") ? firstOf(forwardedHost).trimEnd() : forwardedHost) : headers.host;
  return !hostRefusal(protocol, hostnameOf(host));
}

const firstOf = (list: string) => (list.includes(",") ? list.slice(0, list.indexOf(",")) : list);

/** A Host header's name without its port, as Express's req.hostname reads it. */
function hostnameOf(host: string | undefined) {
  if (!host) return undefined;
  const colon = host.indexOf(":", host.startsWith("[") ? host.indexOf("]") + 1 : 0);
  return colon < 0 ? host : host.slice(0, colon);
}

async function bodyRefusal(req: Request, options: RequestGuardOptions): Promise<Refusal | "gone" | null> {
  const raw = options.rawBodyPaths.test(req.path);
  const type = mediaType(req.headers["content-type"]);
  if (!raw && !isForm(type, req.headers["content-type"])) return refusals.notAForm;

  const limit = options.uploadPaths.test(req.path) ? options.uploadLimit : options.formLimit;
  const declared = req.headers["content-length"] === undefined ? null : Number(req.headers["content-length"]);
  if (declared !== null && declared > limit) return refusals.tooLarge;
  const form = !raw && (type === "application/x-www-form-urlencoded" || type === "multipart/form-data");
  const hasBody = declared !== null ? declared > 0 : Boolean(req.headers["transfer-encoding"]);
  // Node's parser stops a body at its declared length, so another body needs reading only when
  // its length is unknown. A form is read whole and parsed as the routes will parse it.
  if (!form && (declared !== null || !hasBody)) return null;
  const body = hasBody ? await bufferBody(req, limit) : Buffer.alloc(0);
  if (body === "gone") return "gone";
  if (body === "too-large") return refusals.tooLarge;
  if (!form) return null;
  // A NUL byte would pass the field schemas of a urlencoded form and fail in PostgreSQL.
  if (type === "application/x-www-form-urlencoded" && (body.includes(0) || body.includes("%00"))) return refusals.nulInForm;
  const fields = await formFields(body, req.headers["content-type"]!);
  // request.formData() throws (a 500 in every route) on a multipart body cut short or malformed.
  if (!fields) return refusals.brokenForm;
  // conform makes `attendees[99999999].name` a list that long, which the page sent back then
  // holds: one small post made a reply of hundreds of megabytes.
  if (fields.some((name) => [...name.matchAll(/\[(\d+)\]/g)].some((m) => Number(m[1]) > MAX_LIST_INDEX))) return refusals.listTooLong;
  return null;
}

/** No form of the site lists more than a few hundred items (200 agenda sessions at most). */
const MAX_LIST_INDEX = 999;

/** The field names of a form as the routes read it (fetch's Request.formData), or null when it does not parse. */
async function formFields(body: Buffer, contentType: string): Promise<string[] | null> {
  try {
    const form = await new Response(new Uint8Array(body), { headers: { "Content-Type": contentType } }).formData();
    return [...form.keys()];
  } catch {
    return null;
  }
}

/**
 * Remix's own check of the Origin header (throwIfPotentialCSRFAttack), made first so that a post
 * from another origin gets a page saying why instead of Remix's empty 500.
 */
function originRefusal(req: Request): Refusal | null {
  const origin = req.headers.origin;
  if (!originChecked(req.method, req.path) || origin === undefined) return null;
  const host = req.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.host;
  if (!host) return refusals.noHost;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return refusals.crossOrigin;
  }
  return originHost === host ? null : refusals.crossOrigin;
}

/** Remix checks the posts of pages, and every data request (`.data`) but a GET, OPTIONS included. */
const originChecked = (method: string, path: string) => BODY_METHODS.has(method) || (method !== "GET" && path.endsWith(".data"));

const mediaType = (header: string | undefined) => header?.split(";")[0]!.trim().toLowerCase() ?? "";

function isForm(type: string, header: string | undefined) {
  if (type === "application/x-www-form-urlencoded") return true;
  return type === "multipart/form-data" && /;\s*boundary=("[^"]+"|[^\s;]+)/i.test(header ?? "");
}

/**
 * Reads a body of at most `limit` bytes and puts it back with unshift, in the same 'readable'
 * handler that read its last byte (before the stream's end is emitted), so the route that runs
 * next reads it intact.
 */
function bufferBody(req: Request, limit: number): Promise<Buffer | "too-large" | "gone"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | "too-large" | "gone") => {
      req.removeListener("readable", onReadable);
      req.removeListener("close", onClose);
      resolve(result);
    };
    const onClose = () => finish("gone");
    const onReadable = () => {
      // Only what is buffered is read: a read() past the last byte would start the stream's end,
      // which an empty body could not take back.
      while (req.readableLength > 0) {
        const chunk = req.read() as Buffer;
        size += chunk.length;
        if (size > limit) return finish("too-large");
        chunks.push(chunk);
      }
      if (!req.complete) return;
      const body = Buffer.concat(chunks);
      if (body.length > 0) req.unshift(body);
      finish(body);
    };
    req.on("readable", onReadable);
    req.once("close", onClose);
  });
}

function answer(req: Request, res: Response, refusal: Refusal, jsonPaths: RegExp) {
  res.status(refusal.status);
  res.setHeader("Cache-Control", "no-store");
  // The rest of a refused body is read and dropped, so the client gets to read the answer.
  if (!req.complete) req.resume();
  if (req.path.endsWith(".data") || jsonPaths.test(req.path)) {
    res.json({ ok: false, message: `${refusal.title}. ${refusal.message}` });
    return;
  }
  res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  res.type("html").send(refusalPage(refusal));
}

/** A page of its own, not the site's layout: it must render when the app cannot. */
function refusalPage({ status, title, message }: Refusal) {
  return `<!doctype html>
<html lang="en-CA">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · RE3M 2025</title>
<style>body{font:1.05rem/1.6 system-ui,sans-serif;color:#14123a;max-width:40rem;margin:4rem auto;padding:0 1.25rem}p.code{color:#5b5a7a;font-size:.9rem}a{color:#3b2fc9}</style>
</head>
<body>
<main>
<p class="code">Error ${status}</p>
<h1>${title}</h1>
<p>${message}</p>
<p><a href="/">Go to the home page</a> · <a href="/agenda">See the agenda</a></p>
</main>
</body>
</html>
`;
}
