import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { OrderSummary } from "~/components/order-summary";
import { DomainError } from "~/domain/errors";
import { eventOf } from "~/domain/event.server";
import { orderForBuyer, orderForPayment, orderSummaryFor } from "~/domain/orders.server";
import { openPayment } from "~/domain/checkout-session.server";
import { clock } from "~/services/clock.server";
import { env } from "~/services/env.server";
import { privateHeaders } from "~/services/http-cache.server";

export const headers = () => privateHeaders;

// The payment step, where the checkout form sends a buyer once their seats are held: on to Stripe's
// page (its Checkout Session is created on the first visit; later visits, a refresh or the order
// page's "Complete payment", reuse it), or to the order page when there is nothing to pay. When
// Stripe cannot be reached the buyer sees why, keeps the seats, and can try again.
export async function loader({ params, request }: LoaderFunctionArgs) {
  const key = new URL(request.url).searchParams.get("k") ?? "";
  const order = await orderForPayment(params.ref!, key);
  if (!order) throw data({ message: "We could not find that order. Use the link from your confirmation email." }, { status: 404, headers: privateHeaders });
  const event = await eventOf(order.eventId);
  const orderPage = `${env().APP_URL}/orders/${order.reference}?k=${encodeURIComponent(key)}`;
  // Paid by invoice: the order page says how; there is no card payment to open.
  if (order.paymentMethod === "INVOICE") return redirect(orderPage, 303);
  try {
    const url = await openPayment(
      order,
      event,
      {
        successUrl: `${orderPage}&from=checkout`,
        cancelUrl: `${env().APP_URL}/orders/${order.reference}/cancel?k=${encodeURIComponent(key)}`,
      },
      clock.now(),
    );
    return redirect(url ?? orderPage, 303);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // Stripe could not be reached: the page says so beside the order, read whole (a rare path).
    const shown = (await orderForBuyer(order.reference, key))!;
    return data(
      { problem: error.message, key, currency: order.currency, order: orderSummaryFor(shown, event.timeZone) },
      { status: 503, headers: { ...privateHeaders, "Retry-After": "30" } },
    );
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Payment for order ${data.order.reference} · RE3M 2025` : "Payment · RE3M 2025" },
  { name: "robots", content: "noindex" },
];

export default function PaymentUnavailable() {
  const { problem, order, key, currency } = useLoaderData<typeof loader>();
  const link = `/orders/${order.reference}`;
  const k = `?k=${encodeURIComponent(key)}`;
  return (
    <div className="container">
      <header className="page-head">
        <p className="eyebrow">Order {order.reference}</p>
        <h1>Your seats are held</h1>
        <p className="lead">They are kept for you until {order.holdEnds}.</p>
      </header>
      <div className="checkout">
        <div className="stack">
          <FormErrors errors={problem} />
          <p className="button-row">
            {/* A document load, so the browser follows the redirect to Stripe's page. */}
            <Link className="button button--accent" to={`${link}/pay${k}`} reloadDocument>
              Try again
            </Link>
            <Link className="button button--ghost" to={`${link}/cancel${k}`} reloadDocument>
              Cancel and release the seats
            </Link>
          </p>
        </div>
        <aside className="checkout__aside">
          <OrderSummary {...order} currency={currency} caption={`Order ${order.reference}`} />
        </aside>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
