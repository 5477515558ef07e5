// PDFs are rendered by worker threads: the same documents as rendering them here, a template's
// error reaches the caller, a thread that dies is replaced, and where no thread can start the
// documents are still rendered, in this thread.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { BadgesDocumentProps } from "../../documents/badges";
import { log } from "~/services/log.server";
import { renderDocument, type PdfProps } from "~/services/pdf-documents.server";
import { pdfPool } from "~/services/pdf-pool.server";
import { renderPdf, startPdfWorker, stopPdfWorkers } from "~/services/pdf.server";
import { qrPng } from "~/services/qr-png.server";
import { readPdf, readPdfLayout } from "../support/pdf";

const invoice: PdfProps<"invoice"> = {
  eventName: "RE3M 2025",
  title: "Tax invoice",
  number: "RE3M-2025-0042",
  issuedOn: "September 3, 2025",
  credits: null,
  seller: { name: "Sample Organiser Inc.", address: "1 Front St W, Toronto ON", taxNumber: "123456789 RT0001" },
  buyer: { name: "Zoë 王小明 محمد נג׳אתי", email: "zoe@example.com", company: "Ελληνικά Μεταλλεία", address: "2 Bay St", country: "CA", taxNumber: "", purchaseOrder: "PO-7" },
  orderReference: "RE3M-7K2Q",
  currency: "CAD",
  lines: [{ description: "Delegate pass", quantity: 2, unitPrice: "$1,000.00", amount: "$2,000.00" }],
  subtotal: "$2,000.00",
  discount: null,
  taxLabel: "HST 13%",
  tax: "$260.00",
  total: "$2,260.00",
};

const fitted = (text: string, fontSize: number) => ({ lines: [text], fontSize, lineHeight: 1.15 });
const badges: PdfProps<"badges"> = {
  layout: "label",
  title: "RE3M 2025 badges: test",
  eventName: "RE3M 2025",
  badges: ["김민준", "Ada Lovelace"].map((name, i) => ({
    id: `t${i}`,
    name: fitted(name, 20),
    company: fitted("Analytical Engines", 12),
    ticketType: fitted("Delegate", 12),
    band: { background: "#4a2ea0", foreground: "#ffffff" },
    qrPng: qrPng(`ticket-secret-${i}`, { scale: 8, margin: 2, dark: "#000000" }),
    shortCode: `SC${i}`,
  })) satisfies BadgesDocumentProps["badges"],
};

/** A pool of one thread whose workers the test can reach, as the app's pool starts them. */
function poolWithWorkers(start = startPdfWorker) {
  const workers: Worker[] = [];
  const pool = pdfPool({
    size: 1,
    start: () => {
      const worker = start();
      workers.push(worker);
      return worker;
    },
    renderHere: renderDocument,
  });
  return { pool, workers };
}

const ready = (worker: Worker) => new Promise<void>((resolve) => worker.on("message", (m: { ready?: true }) => m.ready && resolve()));

describe("PDF worker threads", () => {
  afterAll(() => stopPdfWorkers());

  it("render an invoice that reads as the one rendered in this thread, in every script", async () => {
    const [there, here] = await Promise.all([renderPdf("invoice", invoice), renderDocument("invoice", invoice)]);
    expect(Buffer.isBuffer(there)).toBe(true);
    const [read, expected] = await Promise.all([readPdf(there), readPdf(here)]);
    expect(read.text).toBe(expected.text);
    expect(read.title).toBe("Tax invoice RE3M-2025-0042");
    expect(read.text).toContain("Zoë");
    expect(read.text).toContain("王小明");
  });

  it("render badges whose QR images cross to the thread and back", async () => {
    const [there, here] = await Promise.all([renderPdf("badges", badges), renderDocument("badges", badges)]);
    const [read, expected] = await Promise.all([readPdfLayout(there), readPdfLayout(here)]);
    expect(read.map((page) => page.qrCodes)).toEqual([["ticket-secret-0"], ["ticket-secret-1"]]);
    expect(read.map((page) => page.items.map((item) => item.str))).toEqual(expected.map((page) => page.items.map((item) => item.str)));
  });

  it("reject with the template's own error, and go on rendering", async () => {
    const broken = { ...invoice, lines: undefined } as unknown as PdfProps<"invoice">;
    const error = await renderPdf("invoice", broken).then(() => null, (e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error!.name).toBe("TypeError");
    expect(error!.message).toMatch(/Cannot read properties of undefined \(reading 'map'\)/);
    expect(error!.stack).toContain("invoice.tsx");
    expect((await readPdf(await renderPdf("invoice", invoice))).text).toContain("RE3M-7K2Q");
  });

  it("refuse props that cannot cross to a thread", async () => {
    const withFunction = { ...invoice, total: () => "$1" } as unknown as PdfProps<"invoice">;
    await expect(renderPdf("invoice", withFunction)).rejects.toThrow(/could not be cloned/);
  });

  it("replace a thread that dies, and render again the document it was rendering", async () => {
    const { pool, workers } = poolWithWorkers();
    try {
      await pool.render("invoice", invoice);
      await workers[0]!.terminate();
      expect((await readPdf(await pool.render("invoice", invoice))).text).toContain("RE3M-7K2Q");
      expect(workers).toHaveLength(2);

      const rendering = pool.render("invoice", invoice);
      await workers[1]!.terminate();
      expect((await readPdf(await rendering)).text).toContain("RE3M-7K2Q");
      expect(workers).toHaveLength(3);
    } finally {
      await pool.stop();
    }
  });

  it("refuse a document whose thread dies twice while rendering it, with a clear error", async () => {
    const { pool, workers } = poolWithWorkers(() => {
      const worker = startPdfWorker();
      void ready(worker).then(() => worker.terminate());
      return worker;
    });
    try {
      await expect(pool.render("invoice", invoice)).rejects.toThrow("A PDF worker thread stopped twice while rendering this invoice document");
      expect(workers).toHaveLength(2);
    } finally {
      await pool.stop();
    }
  });

  it("render in this thread, with one warning, when no thread can start", async () => {
    const warn = vi.spyOn(log, "warn");
    const { pool, workers } = poolWithWorkers(() => new Worker(new URL("./no-such-worker.js", import.meta.url)));
    try {
      const pdfs = await Promise.all([pool.render("invoice", invoice), pool.render("invoice", invoice)]);
      expect((await readPdf(await pool.render("invoice", invoice))).text).toContain("RE3M-7K2Q");
      for (const pdf of pdfs) expect((await readPdf(pdf)).text).toContain("RE3M-7K2Q");
      expect(workers).toHaveLength(1);
      expect(warn.mock.calls).toEqual([["PDFs are rendered in the main thread: a PDF worker thread could not start", { error: expect.stringMatching(/Cannot find module .*no-such-worker\.js/) }]]);
    } finally {
      warn.mockRestore();
      await pool.stop();
    }
  });

  it("stop, and start again on the next document", async () => {
    await renderPdf("invoice", invoice);
    await stopPdfWorkers();
    expect((await readPdf(await renderPdf("invoice", invoice))).text).toContain("RE3M-7K2Q");
  });

  it("let a script that rendered a PDF end without stopping them", async () => {
    const script = path.join(tmpdir(), `pdf-worker-exit-${process.pid}.mts`);
    writeFileSync(
      script,
      `import { renderPdf } from ${JSON.stringify(path.resolve("app/services/pdf.server.ts"))};\n` +
        `const pdf = await renderPdf("invoice", ${JSON.stringify(invoice)});\nprocess.stdout.write(String(pdf.subarray(0, 5)));\n`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, PDF_WORKERS: "1" } });
    const hung = setTimeout(() => child.kill("SIGKILL"), 45_000);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    clearTimeout(hung);
    expect({ code, output }).toEqual({ code: 0, output: "%PDF-" });
  }, 60_000);
});
