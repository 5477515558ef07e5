// A few seconds of memory for public pages. They already tell shared caches (a CDN) that they may
// be served for a minute (PUBLIC_CACHE_CONTROL); without a CDN in front, every visitor made the
// app run the page's queries and render it again, and in a ticket rush that is thousands of
// people refreshing /tickets. Only responses that declare themselves shareable are kept.
import type { OutgoingHttpHeaders } from "node:http";
import type { RequestHandler } from "express";
import { LRUCache } from "lru-cache";

type Entry = { status: number; headers: OutgoingHttpHeaders; body: Buffer };

// Set per response by the layers in front (compression) or by Node itself.
const NOT_KEPT = new Set(["content-encoding", "content-length", "transfer-encoding", "vary", "date", "connection", "keep-alive"]);
const MAX_BODY_BYTES = 1 << 20;

export function pageCache({ ttlMs, maxEntries, clearedBy }: { ttlMs: number; maxEntries: number; clearedBy: RegExp }): RequestHandler {
  // The least recently served page goes first when full; an entry older than ttlMs is a miss.
  const entries = new LRUCache<string, Entry>({ max: maxEntries, ttl: ttlMs });
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      // An organiser's or a sponsor's edit shows on this instance at once; other instances catch
      // up within ttlMs. Buyers' checkouts do not clear it: availability may lag by a few seconds,
      // and checkout itself always asks the database.
      if (clearedBy.test(req.path)) res.on("finish", () => res.statusCode < 400 && entries.clear());
      return next();
    }
    const key = req.originalUrl;
    const hit = entries.get(key);
    if (hit) {
      const etag = hit.headers.etag;
      const fresh = typeof etag === "string" && (req.headers["if-none-match"] ?? "").split(",").some((t) => t.trim() === etag);
      res.writeHead(fresh ? 304 : hit.status, hit.headers);
      res.end(fresh || req.method === "HEAD" ? undefined : hit.body);
      return;
    }
    if (req.method === "HEAD") return next();

    const chunks: Buffer[] = [];
    let size = 0;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      size += buffer.length;
      if (size <= MAX_BODY_BYTES) chunks.push(buffer);
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      if (shareable(res.statusCode, res.getHeaders()) && size <= MAX_BODY_BYTES) {
        const headers = Object.fromEntries(Object.entries(res.getHeaders()).filter(([name]) => !NOT_KEPT.has(name)));
        entries.set(key, { status: res.statusCode, headers, body: Buffer.concat(chunks) });
      }
      return end(chunk, ...rest);
    }) as typeof res.end;
    next();
  };
}

function shareable(status: number, headers: OutgoingHttpHeaders) {
  const cacheControl = String(headers["cache-control"] ?? "");
  return status === 200 && /\bs-maxage=\d+/.test(cacheControl) && !/\b(private|no-store)\b/.test(cacheControl) && !headers["set-cookie"];
}
