// Compiles what runs outside the Remix build into plain JavaScript, so that a production server
// starts with `node build/server.js` and no TypeScript compiler (tsx cost about 1.5 s of every
// start). Three files, each with the app modules it imports and node_modules left as imports:
// - build/server.js from server.ts (the Express entry, with the Stripe emulator `npm start` uses);
// - build/prisma.config.js from prisma.config.ts, which the Prisma CLI loads when the server applies
//   a migration; the Docker image puts it in place of the TypeScript one;
// - build/pdf-worker.js, the PDF worker thread, which the app (build/index.js) starts from beside it
//   (app/services/pdf.server.ts) and which compares itself with its sources through the metafile.
// `node scripts/build-server.mjs --if-stale` (what `npm start` runs) builds only when a file those
// three were made from changed since, as read from the metafile of the last build. Whether the Remix
// build is current is judged by server.ts itself, as it is when tests run server.ts through tsx.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const OUT_DIR = "build";
const ENTRIES = { server: "server.ts", "prisma.config": "prisma.config.ts", "pdf-worker": "app/services/pdf-worker.server.ts" };
const METAFILE = path.join(OUT_DIR, "server.meta.json");

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : undefined;
}

/** True when an output is missing or older than one of the files of the last build, or one of those is gone. */
function stale() {
  const outputs = Object.keys(ENTRIES).map((name) => mtime(path.join(OUT_DIR, `${name}.js`)));
  if (!existsSync(METAFILE) || outputs.includes(undefined)) return true;
  const built = Math.min(...outputs);
  const inputs = [...Object.keys(JSON.parse(readFileSync(METAFILE, "utf8")).inputs), "tsconfig.json", "package.json"];
  return inputs.some((input) => (mtime(input) ?? Infinity) > built);
}

async function build() {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: ENTRIES,
    outdir: OUT_DIR,
    bundle: true,
    platform: "node",
    format: "esm",
    // The oldest Node in package.json's engines.
    target: "node20.19",
    // Dependencies stay in node_modules, as the Remix build leaves them; paths such as "~/..."
    // come from tsconfig.json.
    packages: "external",
    metafile: true,
    logLevel: "warning",
  });
  const { writeFileSync } = await import("node:fs");
  writeFileSync(METAFILE, JSON.stringify(result.metafile));
}

if (!process.argv.includes("--if-stale") || stale()) await build();
