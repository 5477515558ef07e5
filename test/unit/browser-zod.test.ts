// The forms' browser code builds on zod/mini, never on classic zod (ADR 0021): classic zod's methods
// reach every kind of schema and its JSON Schema output, and the bundler keeps, in the zod core all
// form pages share, what any page uses. Guards app/validation/zod.ts and patches/@conform-to+zod
// (conform's form coercion on zod/mini's wrappers); `npm run bench -- weight` has the bytes.
import { readdirSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

it("bundles conform's zod adapter and every browser schema without classic zod", async () => {
  const schemas = readdirSync(path.join(root, "app/validation")).filter((file) => /\.ts$/.test(file) && !file.includes(".server."));
  const contents = [`import "@conform-to/zod/v4";`, ...schemas.map((file) => `import "~/validation/${file}";`)].join("\n");
  const { metafile } = await build({
    stdin: { contents, resolveDir: root, loader: "ts" },
    bundle: true,
    write: false,
    metafile: true,
    platform: "browser",
    format: "esm",
    tsconfig: path.join(root, "tsconfig.json"),
    logLevel: "silent",
  });
  const zod = Object.keys(metafile.inputs).filter((file) => file.includes("node_modules/zod/"));
  expect(zod.some((file) => file.includes("/v4/mini/"))).toBe(true);
  expect(zod.filter((file) => file.includes("/v4/classic/"))).toEqual([]);
});
