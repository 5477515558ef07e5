// JavaScript per page: every script a page loads before it is interactive (its `<script src>`,
// `modulepreload` links, the modules its inline scripts import, and what those import in turn),
// each gzipped as the server sends it, summed. Read from the pages the production server renders.
import { gzipSync } from "node:zlib";
import { startAppServer, type Row } from "./support";

const PUBLIC_PAGES = ["/", "/agenda", "/speakers", "/sponsors", "/tickets"];
const GOALS = { public: 100, checkout: 130 };

/** The script addresses a document names: external scripts, preloads and inline `import`s. */
export function scriptsOf(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) found.add(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(m[0]);
    if (href) found.add(href[1]!);
  }
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) for (const path of importsOf(m[1]!)) found.add(path);
  return [...found];
}

/** Static and dynamic imports of absolute paths, as esbuild writes them (`from"/build/x.js"`). */
function importsOf(code: string): string[] {
  return [...code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"(\/[^"]+\.js)"/g)].map((m) => m[1]!);
}

/** Gzipped bytes of every script a page loads, following each module's own imports. */
export async function javascriptOf(origin: string, path: string) {
  const html = await (await fetch(`${origin}${path}`)).text();
  const pending = scriptsOf(html);
  const seen = new Set<string>();
  let gzip = 0;
  while (pending.length > 0) {
    const src = pending.pop()!;
    if (seen.has(src)) continue;
    seen.add(src);
    const response = await fetch(new URL(src, origin));
    if (!response.ok) throw new Error(`${path}: ${src} answered ${response.status}`);
    const code = Buffer.from(await response.arrayBuffer());
    gzip += gzipSync(code).length;
    pending.push(...importsOf(code.toString("utf8")));
  }
  return { files: seen.size, gzip };
}

export async function pageWeightBench(): Promise<Row[]> {
  const app = await startAppServer();
  try {
    // The checkout needs a choice of tickets: the first type the tickets page offers.
    const tickets = await (await fetch(`${app.origin}/tickets`)).text();
    const slug = /name="quantities\.([a-z0-9-]+)"/.exec(tickets)?.[1];
    if (!slug) throw new Error("the tickets page offers no ticket type");
    const pages = [...PUBLIC_PAGES.map((path) => ({ path, goal: GOALS.public })), { path: `/tickets/checkout?quantities.${slug}=1`, goal: GOALS.checkout }];
    const rows: Row[] = [];
    for (const { path, goal } of pages) {
      const { files, gzip } = await javascriptOf(app.origin, path);
      rows.push({ page: path, scripts: files, "gzip KB": Number((gzip / 1024).toFixed(1)), "goal KB": `≤ ${goal}` });
    }
    return rows;
  } finally {
    await app.stop();
  }
}
