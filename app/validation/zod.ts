// zod for every module that can reach the browser (a dependency-cruiser rule keeps the others out):
// zod/mini, its checks and wrappers as functions (`z.optional(z.string().check(z.maxLength(80)))`),
// imported as a namespace, so that a page's bundle keeps only the kinds of schema the app uses.
// zod's classic methods would bring every kind, with JSON Schema output, to every form page: the
// bundler drops unused code for all pages at once, and the zod core shared by the pages carries
// what any page needs (ADR 0021). `.server` modules may import zod itself.
import * as z from "zod/mini";

// zod probes `new Function` to compile its parsers; our Content-Security-Policy refuses it and the
// browser logs an issue. Set here, before any schema is built; the server keeps the compiled parsers.
if (typeof document !== "undefined") z.config({ jitless: true });

export * from "zod/mini";

/**
 * Refuses a value inside `z.transform`, as classic zod's `ctx.addIssue` did there (mini's transforms
 * get the bare parse context): `return refuse(ctx, "Enter an amount in dollars.")`.
 */
export function refuse(ctx: z.core.ParsePayload, message: string, path?: PropertyKey[]): never {
  ctx.issues.push({ code: "custom", message, input: ctx.value, ...(path ? { path } : {}) });
  return z.NEVER;
}
