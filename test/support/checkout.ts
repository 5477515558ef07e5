// A Stripe emulator whose webhooks reach the app's real webhook route, plus small factories for
// ticket types and buyers. Integration tests of checkout use this instead of a running server.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { startStripeEmulator, type StripeEmulator } from "../stripe-emulator/server";
import { forgetStripeClient } from "~/services/stripe.server";

export const WEBHOOK_SECRET = "whsec_integration_tests";

export type Harness = { emulator: StripeEmulator; webhookStatuses: number[] };

/** Starts the emulator and a webhook receiver for this test file and points the app at them. */
export function useStripeEmulator(): Harness {
  const harness = { webhookStatuses: [] as number[] } as Harness;
  let receiver: http.Server;
  beforeAll(async () => {
    const { action } = await import("~/routes/webhooks.stripe");
    receiver = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const request = new Request(`http://localhost${req.url}`, {
        method: "POST",
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      const response = await action({ request, params: {}, context: {} });
      harness.webhookStatuses.push(response.status);
      res.writeHead(response.status).end(await response.text());
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const port = (receiver.address() as AddressInfo).port;
    harness.emulator = await startStripeEmulator({
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe`,
      webhookRetryDelaysMs: [50, 100, 200],
    });
    process.env.STRIPE_SECRET_KEY = "sk_test_integration";
    process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
    process.env.STRIPE_API_BASE = harness.emulator.url;
    // A client from an earlier test file in this worker would point at a stopped emulator.
    forgetStripeClient();
  });
  afterAll(async () => {
    await harness.emulator?.stop();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });
  return harness;
}
