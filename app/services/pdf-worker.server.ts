// A PDF worker thread (started by pdf-pool.server.ts): renders the documents it is sent, one
// message each, and sends back the file's bytes, so that the tens of milliseconds of layout a
// document costs are spent beside the thread that serves requests. Compiled to build/pdf-worker.js
// by scripts/build-server.mjs; run from this file through tsx when the app runs from its sources.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parentPort } from "node:worker_threads";
import { renderDocument, type PdfProps, type PdfTemplate } from "./pdf-documents.server";

export type PdfRequest = { id: number; template: PdfTemplate; props: PdfProps<PdfTemplate> };
/** A render's error as it crosses: its name, message and stack (a clone of the Error itself would lose a subclass's name, and fail on a cause that cannot be cloned). */
export type PdfError = { name: string; message: string; stack?: string };
export type PdfReply = { ready: true } | { id: number; pdf: ArrayBuffer } | { id: number; error: PdfError };

/**
 * A compiled worker older than one of the files it was compiled from (as listed in the metafile
 * scripts/build-server.mjs writes beside it) would print documents from templates the app no longer
 * has: it happens when only the Remix build was made again (`npm run dev`, or server.ts building a
 * stale build). It refuses to start, and the app renders in its main thread instead. Where the
 * sources are absent (the Docker image) there is nothing to compare.
 */
function refuseIfOlderThanSources() {
  const self = fileURLToPath(import.meta.url);
  const metafile = path.join(path.dirname(self), "server.meta.json");
  if (!self.endsWith(".js") || !existsSync(metafile)) return;
  const root = path.dirname(path.dirname(self));
  const output = (JSON.parse(readFileSync(metafile, "utf8")) as { outputs: Record<string, { inputs: Record<string, unknown> }> }).outputs[path.relative(root, self)];
  const built = statSync(self).mtimeMs;
  const changed = Object.keys(output?.inputs ?? {}).find((input) => {
    const file = path.join(root, input);
    return existsSync(file) && statSync(file).mtimeMs > built;
  });
  if (changed) throw new Error(`${path.relative(root, self)} is older than ${changed}, which it was compiled from: run \`npm run build\``);
}

/** Structured clone gives Buffers back as plain Uint8Arrays; react-pdf reads images only from Buffers. */
function withBuffers(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(withBuffers);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, withBuffers(v)]));
  return value;
}

/** The PDF's bytes in an ArrayBuffer of their own, to be transferred rather than copied. */
function ownArrayBuffer(pdf: Buffer): ArrayBuffer {
  if (pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength && pdf.buffer instanceof ArrayBuffer) return pdf.buffer;
  return new Uint8Array(pdf).buffer;
}

refuseIfOlderThanSources();
const port = parentPort!;
port.on("message", async ({ id, template, props }: PdfRequest) => {
  try {
    const pdf = ownArrayBuffer(await renderDocument(template, withBuffers(props) as PdfProps<PdfTemplate>));
    port.postMessage({ id, pdf } satisfies PdfReply, [pdf]);
  } catch (error) {
    const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ id, error: { name, message, stack } } satisfies PdfReply);
  }
});
port.postMessage({ ready: true } satisfies PdfReply);
