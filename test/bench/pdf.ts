// PDF rendering and the event loop: invoices rendered through renderPdf, one at a time, four at a
// time (as the outbox sends receipts) and all at once, with the delay of this thread's event loop
// meanwhile: what every other request waits on top of its own work while the PDFs are made.
import type { Row } from "./support";

/**
 * How late a 1 ms timer fires, time after time, while `work` runs: a render that never yields
 * (react-pdf's whole render is promise callbacks, which run before any timer) shows as one long
 * delay. perf_hooks' monitorEventLoopDelay records nothing then: its timer never fires.
 */
async function timerDelays(work: () => Promise<void>) {
  const delays: number[] = [];
  let running = true;
  let expected = performance.now() + 1;
  const tick = () => {
    const now = performance.now();
    delays.push(Math.max(0, now - expected));
    expected = now + 1;
    if (running) setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  await work();
  running = false;
  // The delay of the last stretch, if the work never let the timer fire.
  await new Promise((resolve) => setTimeout(resolve, 2));
  return delays.sort((a, b) => a - b);
}

const invoice = (n: number) => ({
  eventName: "RE3M 2025",
  title: "Tax invoice",
  number: `RE3M-2025-${String(n).padStart(4, "0")}`,
  issuedOn: "September 3, 2025",
  credits: null,
  seller: { name: "Sample Organiser Inc.", address: "1 Front St W, Toronto ON M5J 2X5, Canada", taxNumber: "123456789 RT0001" },
  // One buyer in ten with a Chinese name: those documents embed a slice of Noto Sans SC too.
  buyer: { name: n % 10 === 0 ? `王小明 ${n}` : `Ada Lovelace ${n}`, email: `buyer${n}@example.com`, company: "Analytical Engines Ltd", address: "2 Bay St, Toronto", country: "CA", taxNumber: "", purchaseOrder: "" },
  orderReference: `RE3M-${n}`,
  currency: "CAD",
  lines: [
    { description: "Delegate pass", quantity: 2, unitPrice: "$1,000.00", amount: "$2,000.00" },
    { description: "Workshop: magnet recycling", quantity: 1, unitPrice: "$250.00", amount: "$250.00" },
  ],
  subtotal: "$2,250.00",
  discount: null,
  taxLabel: "HST 13%",
  tax: "$292.50",
  total: "$2,542.50",
});

export async function pdfBench({ documents = 50 }: { documents?: number } = {}): Promise<Row[]> {
  process.env.LOG_LEVEL ??= "warn";
  const { renderPdf } = await import("~/services/pdf.server");
  // Warm-up: module loading, the fonts, the JIT (and, with workers, starting them).
  await Promise.all(Array.from({ length: 8 }, (_, i) => renderPdf("invoice", invoice(i))));

  const run = async (label: string, atOnce: number): Promise<Row> => {
    let next = 0;
    const lane = async () => {
      while (next < documents) await renderPdf("invoice", invoice(next++));
    };
    const started = performance.now();
    let seconds = 0;
    const delays = await timerDelays(async () => {
      await Promise.all(Array.from({ length: atOnce }, lane));
      seconds = (performance.now() - started) / 1000;
    });
    const ms = (n: number) => Number(n.toFixed(1));
    const percentile = (p: number) => ms(delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))]!);
    return {
      rendering: label,
      documents,
      seconds: Number(seconds.toFixed(2)),
      "documents/s": Math.round(documents / seconds),
      "timer fired": delays.length,
      "timer delay p50 ms": percentile(50),
      "timer delay p99 ms": percentile(99),
      "timer delay max ms": ms(delays.at(-1)!),
    };
  };
  return [await run("one at a time", 1), await run("four at a time", 4), await run(`all ${documents} at once`, documents)];
}
