import type { LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { orderForBuyer } from "~/domain/orders.server";
import { expireOrders } from "~/domain/holds.server";

// Stripe's cancel link: the buyer left the payment page. The hold ends at once (seats back, the
// Stripe session expired) and the buyer returns to the form with everything they entered.
export async function loader({ params, request }: LoaderFunctionArgs) {
  const key = new URL(request.url).searchParams.get("k") ?? "";
  const order = await orderForBuyer(params.ref!, key);
  if (!order) throw data({ message: "We could not find that order." }, { status: 404 });
  // An order awaiting payment by invoice is not ended by following a link: the order page (or
  // an organiser) cancels it, and its invoice is cancelled by a credit note then.
  if (order.paymentMethod === "INVOICE") return redirect(`/orders/${order.reference}?k=${encodeURIComponent(key)}`, 303);
  if (order.status === "PENDING") await expireOrders({ orderIds: [order.id] }, "CANCELLED", "buyer-cancelled");
  if (order.status === "PAID") return redirect(`/orders/${order.reference}?k=${encodeURIComponent(key)}`, 303);
  return redirect(`/tickets/checkout?from=${order.reference}&k=${encodeURIComponent(key)}&cancelled=1`, 303);
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";

export default function Cancelled() {
  return null;
}
