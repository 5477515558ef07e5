// Runs the emulator on its own, e.g. for the dev server or manual testing:
//   npx tsx test/stripe-emulator/cli.ts --port 12111 --webhook-url http://127.0.0.1:3000/webhooks/stripe
// Options fall back to STRIPE_EMULATOR_PORT, STRIPE_EMULATOR_WEBHOOK_URL and STRIPE_WEBHOOK_SECRET.
import { parseArgs } from "node:util";
import { startStripeEmulator } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    "webhook-url": { type: "string" },
    "webhook-secret": { type: "string" },
    "async-delay-ms": { type: "string" },
    "api-latency-ms": { type: "string" },
    quiet: { type: "boolean", default: false },
  },
});

const port = Number(values.port ?? process.env.STRIPE_EMULATOR_PORT ?? 12111);
const webhookSecret = values["webhook-secret"] ?? process.env.STRIPE_WEBHOOK_SECRET ?? "whsec_emulator";
const emulator = await startStripeEmulator({
  port,
  host: values.host ?? "127.0.0.1",
  webhookUrl: values["webhook-url"] ?? process.env.STRIPE_EMULATOR_WEBHOOK_URL,
  webhookSecret,
  asyncDelayMs: values["async-delay-ms"] === undefined ? undefined : Number(values["async-delay-ms"]),
  apiLatencyMs: values["api-latency-ms"] === undefined ? undefined : Number(values["api-latency-ms"]),
  log: values.quiet ? undefined : (line) => process.stdout.write(`[stripe-emulator] ${line}\n`),
});
process.stdout.write(`Stripe test emulator on ${emulator.url} (webhook secret ${webhookSecret})\n`);

const shutdown = () => void emulator.stop().then(() => process.exit(0));
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
