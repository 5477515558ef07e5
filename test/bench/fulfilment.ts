// Fulfilment: paid orders turned into tickets, their invoices and queued emails, through the path
// a `checkout.session.completed` webhook takes once its event is stored (handleStripeEvent, in
// turns of the webhook queue, as deliveries and the stored-events job run it). The holds are placed
// first and not timed. A throwaway embedded database holds everything.
import { seededBenchDatabase, type Row } from "./support";

export async function fulfilmentBench({ orders = 2000 }: { orders?: number } = {}): Promise<Row[]> {
  const cluster = await seededBenchDatabase("bench-fulfilment");
  const { db, disconnectDb } = await import("~/services/db.server");
  const { placeOrder } = await import("~/domain/orders.server");
  const { handleStripeEvent } = await import("~/domain/stripe-webhooks.server");
  const { webhookQueue } = await import("~/services/work-queue.server");
  const { order, seededEvent, ticketType } = await import("../support/factories");
  try {
    const event = await seededEvent();
    const type = await ticketType({ capacity: orders * 3, maxPerOrder: 3 });
    const now = new Date();
    // One to three tickets an order, two on average.
    const placed: Awaited<ReturnType<typeof placeOrder>>[] = [];
    for (let i = 0; i < orders; i += 50) {
      placed.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(50, orders - i) }, (_, j) => placeOrder(event, order({ [type.slug]: ((i + j) % 3) + 1 }), now)),
        )),
      );
    }
    const paid = (o: (typeof placed)[number], i: number) =>
      ({
        id: `evt_bench_${i}`,
        type: "checkout.session.completed",
        data: {
          object: {
            id: `cs_bench_${i}`,
            object: "checkout.session",
            metadata: { orderId: o.id },
            client_reference_id: o.id,
            payment_status: "paid",
            payment_intent: `pi_bench_${i}`,
            amount_total: o.totalCents,
          },
        },
      }) as unknown as Parameters<typeof handleStripeEvent>[0];

    const started = performance.now();
    await Promise.all(placed.map((o, i) => webhookQueue.run(() => handleStripeEvent(paid(o, i), new Date()))));
    const seconds = (performance.now() - started) / 1000;

    const [paidOrders, tickets, emails, invoices] = await Promise.all([
      db().order.count({ where: { status: "PAID" } }),
      db().ticket.count(),
      db().emailOutbox.count(),
      db().invoice.count(),
    ]);
    const expectedTickets = placed.reduce((sum, _o, i) => sum + (i % 3) + 1, 0);
    if (paidOrders !== orders || tickets !== expectedTickets || emails !== orders + expectedTickets || invoices !== orders) {
      throw new Error(`expected ${orders} paid orders, ${expectedTickets} tickets, ${orders + expectedTickets} emails and ${orders} invoices; got ${paidOrders}, ${tickets}, ${emails}, ${invoices}`);
    }
    return [
      {
        target: `${orders} paid orders (webhook path, ${tickets} tickets)`,
        seconds: Number(seconds.toFixed(2)),
        "orders/s": Math.round(orders / seconds),
        "ms/order": Number(((seconds * 1000) / orders).toFixed(2)),
        emails,
      },
    ];
  } finally {
    await disconnectDb();
    await cluster.stop();
  }
}
