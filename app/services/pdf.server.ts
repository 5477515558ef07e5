// PDF documents (invoices, credit notes, name badges), rendered by PDF_WORKERS worker threads
// (pdf-pool.server.ts) from the templates in documents/ (pdf-documents.server.ts), so that a
// receipt's invoice or a sheet of badges never holds up the requests this thread serves (ADR 0023).
import { Worker } from "node:worker_threads";
import { env } from "./env.server";
import { renderDocument, type PdfProps, type PdfTemplate } from "./pdf-documents.server";
import { pdfPool, type PdfPool } from "./pdf-pool.server";

export type { PdfTemplate } from "./pdf-documents.server";

/**
 * A PDF worker thread. Beside the compiled app (build/index.js) runs the compiled worker
 * (build/pdf-worker.js, made by scripts/build-server.mjs with the server); an app run from its
 * sources (tests, benchmarks, scripts through tsx) runs the worker's source through tsx. tsx's API
 * registers its loader from inside the thread: Node 20 does not apply loader hooks given to a
 * worker as `execArgv: ["--import", "tsx"]` (ERR_UNKNOWN_FILE_EXTENSION for the .ts file).
 */
export function startPdfWorker(): Worker {
  const here = new URL(import.meta.url);
  if (!here.pathname.endsWith(".ts")) return new Worker(new URL("./pdf-worker.js", here));
  const [tsx, entry] = [import.meta.resolve("tsx/esm/api"), new URL("./pdf-worker.server.ts", here).href].map((url) => JSON.stringify(url));
  return new Worker(`import(${tsx}).then(({ tsImport }) => tsImport(${entry}, ${entry}));`, { eval: true });
}

let pool: PdfPool | null = null;

/** A template rendered to a PDF file's bytes, by a PDF worker thread (in this one with PDF_WORKERS=0). */
export async function renderPdf<T extends PdfTemplate>(template: T, props: PdfProps<T>): Promise<Buffer> {
  const size = env().PDF_WORKERS;
  if (size === 0) return renderDocument(template, props);
  pool ??= pdfPool({ size, start: startPdfWorker, renderHere: renderDocument });
  return pool.render(template, props);
}

/** Ends the PDF worker threads (the server's stop). A later render starts them again. */
export async function stopPdfWorkers() {
  await pool?.stop();
}
