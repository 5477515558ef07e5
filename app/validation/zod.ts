// zod for every module that can reach the browser (a dependency-cruiser rule keeps the others out),
// imported as a namespace so that a page's bundle keeps only the parts its schemas use (ADR 0021).
import * as z from "zod";

// zod probes `new Function` to compile its parsers; our Content-Security-Policy refuses it and the
// browser logs an issue. Set here, before any schema is built; the server keeps the compiled parsers.
if (typeof document !== "undefined") z.config({ jitless: true });

export * from "zod";
