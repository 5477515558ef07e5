// `npm run bench [-- name ...] [--seconds N] [--connections N]`: runs the benchmarks and prints
// one table each. Figures, not pass/fail: timing goals live here, never in tests.
import { exportsBench } from "./exports";
import { fulfilmentBench } from "./fulfilment";
import { leadsBench } from "./leads";
import { outboxBench } from "./outbox";
import { pageWeightBench } from "./page-weight";
import { patchesBench } from "./patches";
import { pdfBench } from "./pdf";
import { publicPagesBench } from "./public-pages";
import { rushBench } from "./rush";
import { startupBench } from "./startup";
import type { Row } from "./support";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const seconds = option("seconds", 8);
const connections = option("connections", 32);
const only = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));

const buyers = option("buyers", 2000);
const seats = option("seats", 300);

const benches: Record<string, { title: string; run: () => Promise<Row[]>; explicitOnly?: boolean }> = {
  rush: { title: `Ticket rush: ${buyers} buyers at once for ${seats} seats, through HTTP checkout and the Stripe emulator`, run: () => rushBench({ buyers, seats }) },
  pages: { title: `Public pages under load (${connections} connections, ${seconds} s each)`, run: () => publicPagesBench({ seconds, connections }) },
  weight: { title: "JavaScript per page: the scripts a page loads, gzipped, summed", run: () => pageWeightBench() },
  outbox: { title: "Outbox: ticket emails and receipts rendered and handed to a loopback SMTP server", run: () => outboxBench() },
  pdf: { title: `PDF invoices: ${option("documents", 50)} rendered through renderPdf, and how late a 1 ms timer of this thread fires meanwhile`, run: () => pdfBench({ documents: option("documents", 50) }) },
  fulfilment: { title: `Fulfilment: ${option("orders", 2000)} paid orders (tickets issued, invoices, emails queued) through the webhook's path`, run: () => fulfilmentBench({ orders: option("orders", 2000) }) },
  leads: { title: "Lead list CSV export (streamed), time and peak memory", run: () => leadsBench() },
  // Not in the default set: it changes node_modules while it runs (ADR 0006).
  patches: { title: `Framework patches on the default rush row (${buyers} buyers, ${seats} seats), ${option("rounds", 3)} alternating rounds`, run: () => patchesBench({ buyers, seats, rounds: option("rounds", 3) }), explicitOnly: true },
  exports: { title: "Attendee export: 50,000 rows streamed as CSV (time and peak RSS)", run: () => exportsBench() },
  startup: { title: `Start-up of a built checkout: spawn to the first 200 on /healthz, ${option("runs", 5)} runs each`, run: () => startupBench({ runs: option("runs", 5) }) },
};

for (const [name, bench] of Object.entries(benches)) {
  if (only.length > 0 ? !only.includes(name) : bench.explicitOnly) continue;
  process.stdout.write(`\n${bench.title}\n`);
  console.table(await bench.run());
}
