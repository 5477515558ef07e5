// A few seconds of memory for public pages. They already tell shared caches (a CDN) that they may
// be served for a minute (PUBLIC_CACHE_CONTROL); without a CDN in front, every visitor made the
// app run the page's queries and render it again, and in a ticket rush that is thousands of
// people refreshing /tickets. Only responses that declare themselves shareable are kept.
//
// Each page's copy is also kept after those seconds, as its last good copy: while the database
// cannot be reached the page's render answers 503 (outage.server.ts), and the visitor gets that
// copy instead, marked stale, rather than an error.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import express, { type Request, type RequestHandler } from "express";
import { LRUCache } from "lru-cache";
import { RETRY_AFTER_SECONDS } from "./outage.server";

type Encoding = "br" | "gzip";

type Entry = {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  /** The body compressed, each encoding made on the first request that accepts it. */
  encoded: { [encoding in Encoding]?: Buffer };
  /** The headers a fresh copy is sent with, per encoding ("identity": none), made on first use. */
  sentHeaders: { [encoding in Encoding | "identity"]?: OutgoingHttpHeaders };
  storedAt: number;
  generation: number;
  /** The address's path as Express reads it (req.path), for the request log of a copy sent before Express. */
  path: string;
};

/** A copy that may be sent to a request as it is (PageCache's freshCopy). */
export type FreshCopy = Readonly<Entry>;

// Compressed once per copy rather than once per request: what compression did on every hit was
// most of the CPU of serving a cached page to a browser (ADR 0021).
const ENCODE = {
  br: (body: Buffer) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body: Buffer) => gzipSync(body),
};

// Set per response by the layers in front (compression) or by Node itself.
const NOT_KEPT = new Set(["content-encoding", "content-length", "transfer-encoding", "vary", "date", "connection", "keep-alive"]);
const MAX_BODY_BYTES = 1 << 20;
/** How long a request waits for another one's render of its page before rendering it itself. */
const MAX_WAIT_FOR_RENDER_MS = 5_000;

/** A last good copy may be kept by a CDN only until the app is asked again, a few seconds on. */
const STALE_CACHE_CONTROL = `public, max-age=0, must-revalidate, s-maxage=${RETRY_AFTER_SECONDS}`;

export type PageCacheOptions = {
  /** How long a copy is served in place of rendering the page (0: never; copies are still kept for outages). */
  ttlMs: number;
  maxEntries: number;
  /** The memory all copies may take together (bodies and addresses). */
  maxBytes: number;
  /** Posts to these paths make every copy old at once (an organiser's edit). */
  clearedBy: RegExp;
  /** Called after such a post, to tell the other instances (change-feed.server.ts's announceChange). */
  announce?: () => void;
};

export type PageCache = RequestHandler & {
  /**
   * The copy a GET or HEAD may be answered with as it is, if any: one that is fresh, or that grew
   * old while one visitor has it rendered anew. Send it with sendCopy.
   */
  freshCopy(req: IncomingMessage): FreshCopy | undefined;
  /**
   * Serves fresh copies, mounted in front of compression, the security headers and the static
   * files (a copy carries the headers its page was sent with): a hit then costs no more than
   * sending the bytes. server.ts answers most hits before Express even runs (ADR 0022); these are
   * the rest (an instance that is draining, a request that only Express can judge). The cache
   * itself (this function) stays behind them, where it sees the page as rendered, and also serves
   * a hit should one reach it.
   */
  hits: RequestHandler;
  /**
   * Every copy becomes old: the next visitor of each page gets it rendered anew, while the copies
   * stay as last good copies for an outage. Called on this instance's edits, and on every
   * instance when another one announces an edit.
   */
  invalidate(): void;
};

export function pageCache({ ttlMs, maxEntries, maxBytes, clearedBy, announce }: PageCacheOptions): PageCache {
  // The least recently served page goes first when full, by count or by size.
  const entries = new LRUCache<string, Entry>({ max: maxEntries, maxSize: maxBytes, sizeCalculation: (entry, key) => entry.body.length + key.length + 1 });
  // Copies made before the last invalidate() are never fresh.
  let generation = 0;
  const isFresh = (entry: Entry) => entry.generation === generation && Date.now() - entry.storedAt < ttlMs;
  // Pages being rendered anew because their copy grew old. Meanwhile that copy is still served:
  // otherwise every visitor arriving during the render renders the page too, and under load
  // those renders slow each other down until the page's p99 is seconds (ADR 0021). A copy made
  // old by an edit is not served this way: the edit shows at once.
  const refreshing = new Set<string>();
  const servable = (key: string, entry: Entry) => isFresh(entry) || (entry.generation === generation && ttlMs > 0 && refreshing.has(key));

  // Keyed by the address as sent (Express's req.originalUrl, the url before Express rewrites it).
  const freshCopy = (req: IncomingMessage) => {
    if (req.method !== "GET" && req.method !== "HEAD") return undefined;
    const key = req.url ?? "";
    const entry = entries.get(key);
    return entry && servable(key, entry) ? entry : undefined;
  };

  const hits: RequestHandler = (req, res, next) => {
    const copy = freshCopy(req);
    if (!copy) return next();
    sendCopy(req, res, copy);
  };

  const middleware: RequestHandler = (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      // An organiser's edit shows on this instance at once, and on the others as soon as they
      // hear of it (or within ttlMs if they do not). Buyers' checkouts do not clear it:
      // availability may lag by a few seconds, and checkout itself always asks the database.
      if (clearedBy.test(req.path)) {
        res.on("finish", () => {
          if (res.statusCode >= 400) return;
          invalidate();
          announce?.();
        });
      }
      return next();
    }
    const key = req.originalUrl;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    const hit = entries.get(key);
    if (hit && servable(key, hit)) return serve(hit, {});
    // No copy to serve while another visitor's request renders this page (a page nobody asked for
    // yet, or one an edit made old): wait for that render and serve what it kept, rather than
    // every visitor arriving meanwhile rendering the page too. A page it does not keep (not
    // shareable), or a render that takes too long, and each goes on to render its own.
    if (ttlMs > 0 && refreshing.has(key)) {
      void renderedBy(key).then(() => {
        if (res.destroyed) return;
        const kept = entries.get(key);
        if (kept && servable(key, kept)) serve(kept, {});
        else render();
      });
      return;
    }
    render();

    function render() {
      if (!refreshing.has(key)) {
        refreshing.add(key);
        res.once("close", () => {
          refreshing.delete(key);
          rendered(key);
        });
      }

      const chunks: Buffer[] = [];
      let size = 0;
      // Decided when the page starts to be sent: a 503 (the database is unavailable) with a last
      // good copy at hand is replaced by that copy.
      let replaced: "undecided" | Entry | null = "undecided";
      const replacement = () => {
        if (replaced === "undecided") replaced = res.statusCode === 503 && !res.headersSent ? (entries.get(key) ?? null) : null;
        return replaced;
      };
      const keep = (chunk: unknown, encoding?: unknown) => {
        if (chunk === undefined || chunk === null || typeof chunk === "function") return;
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
        size += buffer.length;
        if (size <= MAX_BODY_BYTES) chunks.push(buffer);
      };
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        // The failed page's own bytes are dropped; its end sends the copy.
        if (replacement()) return true;
        keep(chunk, rest[0]);
        return write(chunk, ...rest);
      }) as typeof res.write;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        const copy = replacement();
        if (copy) {
          for (const name of res.getHeaderNames()) res.removeHeader(name);
          serve(copy, {
            "Cache-Control": STALE_CACHE_CONTROL,
            Age: String(Math.floor((Date.now() - copy.storedAt) / 1000)),
            Warning: '110 - "Response is Stale"',
          });
          return res;
        }
        keep(chunk, rest[0]);
        if (req.method === "GET" && shareable(res.statusCode, res.getHeaders()) && size <= MAX_BODY_BYTES) {
          const headers = Object.fromEntries(Object.entries(res.getHeaders()).filter(([name]) => !NOT_KEPT.has(name)));
          entries.set(key, { status: res.statusCode, headers, body: Buffer.concat(chunks), encoded: {}, sentHeaders: {}, storedAt: Date.now(), generation, path: req.path });
        }
        return end(chunk, ...rest);
      }) as typeof res.end;
      next();
    }

    // Behind compression: the copy goes out through it, as the page would have.
    function serve(entry: Entry, extraHeaders: OutgoingHttpHeaders) {
      send(req, res, entry, { ...entry.headers, ...extraHeaders }, entry.body, (chunk) => end(chunk));
    }
  };

  // Requests waiting for another's render of their page, by key.
  const waiting = new Map<string, Array<() => void>>();
  function renderedBy(key: string) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, MAX_WAIT_FOR_RENDER_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      const list = waiting.get(key);
      if (list) list.push(done);
      else waiting.set(key, [done]);
    });
  }
  function rendered(key: string) {
    const list = waiting.get(key);
    waiting.delete(key);
    for (const done of list ?? []) done();
  }

  function invalidate() {
    generation++;
  }
  return Object.assign(middleware, { invalidate, hits, freshCopy });
}

/**
 * Sends a fresh copy with the headers its page was sent with, compressed once per copy: brotli
 * where accepted, as compression would choose, then gzip. A hit thus costs no more than sending
 * the bytes, the headers included (made once per copy and encoding).
 */
export function sendCopy(req: IncomingMessage, res: ServerResponse, copy: FreshCopy) {
  const encoding = encodingFor(req.headers["accept-encoding"]);
  const body = encoding ? (copy.encoded[encoding] ??= ENCODE[encoding](copy.body)) : copy.body;
  const headers = (copy.sentHeaders[encoding ?? "identity"] ??= {
    ...copy.headers,
    Vary: "Accept-Encoding",
    "Content-Length": String(body.length),
    ...(encoding ? { "Content-Encoding": encoding } : {}),
  });
  send(req, res, copy, headers, body, (chunk) => res.end(chunk));
}

// The choice per Accept-Encoding header, which browsers send in a few forms only; bounded all the
// same, since any client can send any value.
const encodings = new Map<string, Encoding | null>();
const MAX_REMEMBERED_ENCODINGS = 100;

function encodingFor(acceptEncoding: string | undefined): Encoding | null {
  // No header reads as an empty one.
  const header = acceptEncoding ?? "";
  let chosen = encodings.get(header);
  if (chosen === undefined) {
    // Express's own negotiation (req.acceptsEncodings), which reads only the request's headers.
    const request = { headers: { "accept-encoding": header } } as Request;
    const accepts = (encoding: Encoding) => express.request.acceptsEncodings.call(request, encoding);
    chosen = accepts("br") ? "br" : accepts("gzip") ? "gzip" : null;
    if (encodings.size >= MAX_REMEMBERED_ENCODINGS) encodings.clear();
    encodings.set(header, chosen);
  }
  return chosen;
}

/** A copy as the answer: 304 when the browser has it already, no body for HEAD. */
function send(req: IncomingMessage, res: ServerResponse, entry: FreshCopy, headers: OutgoingHttpHeaders, body: Buffer, end: (chunk?: Buffer) => void) {
  const etag = entry.headers.etag;
  const notModified = typeof etag === "string" && (req.headers["if-none-match"] ?? "").split(",").some((t) => t.trim() === etag);
  if (notModified) {
    const { "Content-Length": _length, ...unchanged } = headers;
    res.writeHead(304, unchanged);
    return end();
  }
  res.writeHead(entry.status, headers);
  end(req.method === "HEAD" ? undefined : body);
}

function shareable(status: number, headers: OutgoingHttpHeaders) {
  const cacheControl = String(headers["cache-control"] ?? "");
  return status === 200 && /\bs-maxage=\d+/.test(cacheControl) && !/\b(private|no-store)\b/.test(cacheControl) && !headers["set-cookie"];
}
