import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { History } from "~/components/admin-history";
import { FormErrors } from "~/components/form-errors";
import { OrderSummary } from "~/components/order-summary";
import {
  cancelPendingOrder,
  orderDetail,
  refundFromAdmin,
  resendOrderConfirmation,
  resendTicket,
} from "~/domain/admin-orders.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { ticketStatusLabel } from "~/domain/labels";
import { formatMoney } from "~/domain/money";
import { can, requireUser } from "~/services/auth.server";
import { orderActionSchema, orderStatusBadge, orderStatusLabel } from "~/validation/admin-commerce";
import { billingCorrectionSchema, billingLabels } from "~/validation/checkout";
import { clock } from "~/services/clock.server";
import { attempt } from "~/route-helpers/admin-forms.server";
import { InvoiceLinks } from "~/components/invoice-view";
import { correctBillingDetails, documentsOfOrder } from "~/domain/invoices.server";
import { extendDueDate, recordInvoicePayment } from "~/domain/invoice-orders.server";
import { secretToken } from "~/domain/tokens.server";
import { dayKey, formatDayKey } from "~/domain/time";
import { extendDueSchema, invoicePaymentMethodLabels, recordPaymentSchema } from "~/validation/invoice-payment";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.order.reference ?? "Order"} · RE3M admin` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "orders:read");
  const event = await adminEvent(request, context);
  const order = await orderDetail(event.id, params.id ?? "");
  if (!order) throw data({ message: "That order does not exist. It may belong to another event." }, { status: 404 });
  const { accessToken, ...shown } = order;
  const paidCents = order.payments.reduce((sum, p) => sum + p.amountCents, 0);
  return {
    order: shown,
    buyerLink: `/orders/${order.reference}?k=${accessToken}`,
    canWrite: can(user, "orders:write"),
    documents: await documentsOfOrder(order.id),
    byInvoice:
      order.paymentMethod === "INVOICE"
        ? {
            dueOn: order.dueAt ? dayKey(order.dueAt, event.timeZone) : null,
            dueLabel: order.dueAt ? formatDayKey(dayKey(order.dueAt, event.timeZone)) : null,
            overdue: order.status === "PENDING" && order.dueAt !== null && order.dueAt <= clock.now(),
            paidCents,
            outstandingCents: Math.max(0, order.totalCents - paidCents),
            remindersSent: order.remindersSent,
            today: dayKey(clock.now(), event.timeZone),
            payments: order.payments.map((p) => ({ ...p, receivedOn: formatDayKey(p.receivedOn.toISOString().slice(0, 10), "short") })),
            // A fresh key per page view: this form sent twice records one payment.
            formKey: secretToken(),
          }
        : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "orders:write");
  const event = await adminEvent(request, context);
  const formData = await request.formData();
  const orderId = params.id ?? "";
  if (formData.get("intent") === "record-payment") {
    const payment = parseWithZod(formData, { schema: recordPaymentSchema });
    if (payment.status !== "success") return data({ ok: null, error: Object.values(payment.error ?? {}).flat().join(" ") }, { status: 400 });
    return attempt(async () => {
      const { intent: _intent, amount, ...input } = payment.value;
      const recorded = await recordInvoicePayment(event.id, orderId, { ...input, amountCents: amount }, user.id, clock.now());
      const money = (cents: number) => formatMoney(cents, event.currency);
      if (recorded.outcome === "duplicate") return `This payment was already recorded. Outstanding: ${money(recorded.outstandingCents)}.`;
      return recorded.outcome === "paid"
        ? "Payment recorded: the order is paid in full, its tickets are issued and the emails are on their way."
        : `Payment recorded. ${money(recorded.outstandingCents)} is still outstanding; the tickets are issued once it is paid.`;
    });
  }
  if (formData.get("intent") === "extend-due") {
    const extension = parseWithZod(formData, { schema: extendDueSchema });
    if (extension.status !== "success") return data({ ok: null, error: Object.values(extension.error ?? {}).flat().join(" ") }, { status: 400 });
    return attempt(async () => {
      const { dueAt } = await extendDueDate(event.id, orderId, extension.value.dueOn, user.id, clock.now());
      return `The order is now due by ${formatDayKey(dayKey(dueAt, event.timeZone))}; the buyer was told.`;
    });
  }
  if (formData.get("intent") === "billing") {
    const billing = parseWithZod(formData, { schema: billingCorrectionSchema });
    if (billing.status !== "success") return data({ ok: null, error: Object.values(billing.error ?? {}).flat().join(" ") }, { status: 400 });
    return attempt(async () => {
      const { changed, reissued } = await correctBillingDetails(event.id, orderId, billing.value.billing, user.id, clock.now());
      if (changed === 0) return "The billing details were already these.";
      return reissued ? `Billing details corrected: the invoice was cancelled by a credit note and re-issued as ${reissued}.` : "Billing details corrected.";
    });
  }
  const submission = parseWithZod(formData, { schema: orderActionSchema });
  if (submission.status !== "success") return data({ ok: null, error: "That action is not available. Reload the page and try again." }, { status: 400 });
  const input = submission.value;
  return attempt(async () => {
    switch (input.intent) {
      case "refund": {
        const refund = await refundFromAdmin(event.id, orderId, null, user.id);
        return refund.status === "SUCCEEDED" ? "The order was refunded and its tickets cancelled." : "The refund was sent to Stripe; the order updates when Stripe confirms it.";
      }
      case "refund-ticket": {
        const refund = await refundFromAdmin(event.id, orderId, input.ticketId, user.id);
        return refund.status === "SUCCEEDED" ? "The ticket was refunded and cancelled." : "The refund was sent to Stripe; the ticket updates when Stripe confirms it.";
      }
      case "cancel":
        await cancelPendingOrder(event.id, orderId, user.id);
        return "The order was cancelled and its seats released.";
      case "resend-confirmation":
        return `The confirmation was queued to ${await resendOrderConfirmation(event.id, orderId, user.id)}.`;
      case "resend-ticket":
        return `The ticket was queued to ${await resendTicket(event.id, input.ticketId, user.id)}.`;
    }
  });
}

export default function OrderPage() {
  const { order, buyerLink, canWrite, documents, byInvoice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const money = (cents: number) => formatMoney(cents, order.currency);
  const refundable = order.status === "PAID" && order.tickets.some((t) => t.status === "VALID");
  return (
    <div className="stack">
      <p className="small">
        <Link to="/admin/orders">← All orders</Link>
      </p>
      <header>
        <h1>
          Order {order.reference}{" "}
          <span className={`badge ${orderStatusBadge[order.status]}`}>
            {byInvoice && order.status === "PENDING" ? "Awaiting payment by invoice" : orderStatusLabel[order.status]}
          </span>
          {order.isComp ? <span className="badge"> comp</span> : null}
        </h1>
        <p className="muted">
          {order.buyerName} · {order.buyerEmail} · placed {new Date(order.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC
          {order.paidAt ? ` · paid ${new Date(order.paidAt).toISOString().slice(0, 16).replace("T", " ")} UTC` : ""}
        </p>
        <p className="small">
          <a href={buyerLink}>The buyer’s order page</a>
        </p>
      </header>
      {result?.ok ? (
        <div className="alert alert--ok" role="status">
          <p>{result.ok}</p>
        </div>
      ) : null}
      <FormErrors errors={result?.error} />

      <div className="table-scroll" role="region" aria-label={`Amounts of ${order.reference}`} tabIndex={0}>
        <OrderSummary
          caption={`Amounts of ${order.reference}`}
          lines={order.items.map((i) => ({ name: i.ticketType.name, quantity: i.quantity, unitCents: i.unitCents, lineCents: i.unitCents * i.quantity }))}
          subtotalCents={order.subtotalCents}
          discountCents={order.discountCents}
          taxCents={order.taxCents}
          totalCents={order.totalCents}
          currency={order.currency}
          taxName={order.taxName}
          taxRateBps={order.taxRateBps}
          code={order.discountCode?.code}
        />
      </div>
      {order.refundedCents > 0 ? <p>Refunded so far: {money(order.refundedCents)}.</p> : null}
      <InvoiceLinks docs={documents} href={(d) => `/admin/invoices/${d.id}`} />
      {byInvoice ? <InvoicePaymentSection order={order} byInvoice={byInvoice} canWrite={canWrite} busy={busy} /> : null}
      <BillingSection order={order} canWrite={canWrite} busy={busy} />

      {canWrite ? (
        <section aria-labelledby="actions-title" className="card stack">
          <h2 id="actions-title">Actions</h2>
          <div className="button-row">
            {refundable ? (
              <details className="confirm">
                <summary className="button button--small button--danger">Refund whole order</summary>
                <Form method="post" className="stack">
                  <p>
                    {order.stripePaymentId
                      ? `${money(order.totalCents - order.refundedCents)} goes back to the buyer’s card through Stripe, and every ticket stops working.`
                      : byInvoice
                        ? `Paid by invoice: record here that ${money(order.totalCents - order.refundedCents)} is returned; send it by transfer yourself. Every ticket stops working and a credit note is issued.`
                        : "This order was free: every ticket is cancelled and its seat released."}
                  </p>
                  <button type="submit" name="intent" value="refund" className="button button--small button--danger" disabled={busy}>
                    Confirm refund
                  </button>
                </Form>
              </details>
            ) : null}
            {order.status === "PENDING" ? (
              <Form method="post">
                <button type="submit" name="intent" value="cancel" className="button button--small button--ghost" disabled={busy}>
                  Cancel unpaid order
                </button>
              </Form>
            ) : null}
            {order.status === "PAID" ? (
              <Form method="post">
                <button type="submit" name="intent" value="resend-confirmation" className="button button--small button--ghost" disabled={busy}>
                  Resend confirmation email
                </button>
              </Form>
            ) : null}
          </div>
        </section>
      ) : null}

      <section aria-labelledby="tickets-title" className="stack">
        <h2 id="tickets-title">Tickets</h2>
        {order.tickets.length === 0 ? <p className="muted">No tickets: they are issued when the order is paid.</p> : null}
        {order.tickets.length > 0 ? (
          <div className="table-scroll" role="region" aria-label="Tickets of this order" tabIndex={0}>
            <table className="data-table">
              <caption className="visually-hidden">Tickets of this order</caption>
              <thead>
                <tr>
                  <th scope="col">Attendee</th>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  {canWrite ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {order.tickets.map((t) => (
                  <tr key={t.id}>
                    <td>
                      <Link to={`/admin/attendees/${t.id}`}>{t.name}</Link>
                      <br />
                      <span className="small muted">
                        {t.email}
                        {t.company ? ` · ${t.company}` : ""}
                      </span>
                    </td>
                    <td>{t.ticketType.name}</td>
                    <td>
                      {ticketStatusLabel[t.status]}
                      {t.checkedInAt ? <span className="small muted"> · checked in</span> : null}
                    </td>
                    {canWrite ? (
                      <td>
                        {t.status === "VALID" ? (
                          <Form method="post" className="button-row">
                            <input type="hidden" name="ticketId" value={t.id} />
                            <button type="submit" name="intent" value="resend-ticket" className="button button--small button--ghost" disabled={busy} aria-label={`Resend ticket email to ${t.name}`}>
                              Resend ticket
                            </button>
                            {order.status === "PAID" && order.tickets.filter((x) => x.status === "VALID").length > 1 ? (
                              <button type="submit" name="intent" value="refund-ticket" className="button button--small button--ghost" disabled={busy} aria-label={`Refund this ticket (${t.name})`}>
                                Refund this ticket
                              </button>
                            ) : null}
                          </Form>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      {order.refunds.length > 0 ? (
        <section aria-labelledby="refunds-title" className="stack">
          <h2 id="refunds-title">Refunds</h2>
          <ul>
            {order.refunds.map((r) => (
              <li key={r.id}>
                {money(r.amountCents)}, {r.status.toLowerCase()}, {new Date(r.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC
                {r.ticketIds.length > 0 ? ` (${r.ticketIds.length} ticket${r.ticketIds.length === 1 ? "" : "s"})` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <History events={order.history.events} emails={order.history.emails} />
    </div>
  );
}

type InvoiceState = NonNullable<Awaited<ReturnType<typeof loader>>["byInvoice"]>;

/** Pay by invoice: what is due and by when, the payments received, and the forms that record one or give more time. */
function InvoicePaymentSection({ order, byInvoice, canWrite, busy }: { order: { status: string; currency: string; totalCents: number }; byInvoice: InvoiceState; canWrite: boolean; busy: boolean }) {
  const money = (cents: number) => formatMoney(cents, order.currency);
  const open = order.status === "PENDING";
  const reinstatable = order.status === "CANCELLED" || order.status === "EXPIRED";
  return (
    <section aria-labelledby="invoice-payment-title" className="card stack">
      <h2 id="invoice-payment-title">Payment by invoice</h2>
      <dl className="facts">
        <div>
          <dt>Outstanding</dt>
          <dd>
            {money(byInvoice.outstandingCents)} of {money(order.totalCents)}
          </dd>
        </div>
        <div>
          <dt>Due by</dt>
          <dd>
            {byInvoice.dueLabel ?? "—"}
            {byInvoice.overdue ? <span className="badge badge--danger"> overdue</span> : null}
          </dd>
        </div>
        <div>
          <dt>Reminders sent</dt>
          <dd>{byInvoice.remindersSent}</dd>
        </div>
      </dl>
      {byInvoice.overdue && byInvoice.paidCents > 0 ? (
        <p className="alert alert--info">
          Part of this order is paid, so it was not cancelled at its due date. Record the rest, give more time, or cancel it and return what was paid.
        </p>
      ) : null}
      {byInvoice.payments.length > 0 ? (
        <div className="table-scroll" role="region" aria-label="Payments received" tabIndex={0}>
          <table className="data-table">
            <caption>Payments received</caption>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Method</th>
                <th scope="col">Reference</th>
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {byInvoice.payments.map((p) => (
                <tr key={p.id}>
                  <td>{p.receivedOn}</td>
                  <td>{invoicePaymentMethodLabels[p.method]}</td>
                  <td>{p.reference || "—"}</td>
                  <td className="num">{money(p.amountCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No payment recorded yet.</p>
      )}
      {canWrite && (open || reinstatable) && byInvoice.outstandingCents > 0 ? (
        // Keyed by the form's key: after a payment the form starts afresh (the new outstanding amount, a new key).
        <Form method="post" className="stack" aria-labelledby="record-title" key={byInvoice.formKey}>
          <h3 id="record-title">{reinstatable ? "Record a late payment (reinstates the order if its seats are free)" : "Record a payment"}</h3>
          <input type="hidden" name="formKey" value={byInvoice.formKey} />
          <div className="form-grid">
            <div className="field">
              <label htmlFor="payment-amount">Amount received ({order.currency})</label>
              <input id="payment-amount" name="amount" inputMode="decimal" required defaultValue={(byInvoice.outstandingCents / 100).toFixed(2)} />
            </div>
            <div className="field">
              <label htmlFor="payment-day">Date received</label>
              <input id="payment-day" name="receivedOn" type="date" required max={byInvoice.today} defaultValue={byInvoice.today} />
            </div>
            <div className="field">
              <label htmlFor="payment-method">Method</label>
              <select id="payment-method" name="method" defaultValue="BANK_TRANSFER">
                {Object.entries(invoicePaymentMethodLabels).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="payment-reference">
                Bank reference <span className="muted">(optional)</span>
              </label>
              <input id="payment-reference" name="reference" maxLength={80} />
            </div>
          </div>
          <p className="small muted">The whole outstanding amount issues the tickets at once; a part is recorded and shown as outstanding.</p>
          <div>
            <button type="submit" name="intent" value="record-payment" className="button button--small" disabled={busy}>
              Record payment
            </button>
          </div>
        </Form>
      ) : null}
      {canWrite && open ? (
        <details>
          <summary>Give more time (extend the due date)</summary>
          <Form method="post" className="stack">
            <div className="field">
              <label htmlFor="due-day">New due date</label>
              <input id="due-day" name="dueOn" type="date" required min={byInvoice.dueOn ?? undefined} defaultValue={byInvoice.dueOn ?? undefined} />
            </div>
            <p className="small muted">The seats stay held until the end of that day; never after the event starts. The buyer is emailed the new date.</p>
            <div>
              <button type="submit" name="intent" value="extend-due" className="button button--small" disabled={busy}>
                Extend due date
              </button>
            </div>
          </Form>
        </details>
      ) : null}
    </section>
  );
}

type Billing = { status: string; billingCompany: string; billingAddress: string; billingCountry: string; purchaseOrder: string; buyerTaxNumber: string };

/** Who the invoice is made out to, and the organisers' correction (which re-issues the invoice). */
function BillingSection({ order, canWrite, busy }: { order: Billing; canWrite: boolean; busy: boolean }) {
  const company = order.billingCompany !== "";
  return (
    <section aria-labelledby="billing-title" className="card stack">
      <h2 id="billing-title">Billing details</h2>
      {company ? (
        <p className="pre-line">
          {[order.billingCompany, order.billingAddress, order.billingCountry].filter(Boolean).join("\n")}
          {order.purchaseOrder ? `\nPurchase order: ${order.purchaseOrder}` : ""}
          {order.buyerTaxNumber ? `\nTax number: ${order.buyerTaxNumber}` : ""}
        </p>
      ) : (
        <p className="muted">The buyer bought as a person: the invoice is made out to their name.</p>
      )}
      {canWrite ? (
        <details>
          <summary>Correct the billing details</summary>
          <Form method="post" className="stack">
            <p className="small muted">An invoice already issued is cancelled by a credit note and issued again with these details.</p>
            <label className="check">
              <input type="checkbox" name="billing.forCompany" value="on" defaultChecked={company} /> Make the invoice out to a company
            </label>
            <div className="form-grid">
              <div className="field">
                <label htmlFor="billing-company">{billingLabels.company}</label>
                <input id="billing-company" name="billing.company" defaultValue={order.billingCompany} maxLength={160} />
              </div>
              <div className="field">
                <label htmlFor="billing-country">{billingLabels.country}</label>
                <input id="billing-country" name="billing.country" defaultValue={order.billingCountry} maxLength={80} />
              </div>
              <div className="field field--wide">
                <label htmlFor="billing-address">{billingLabels.address}</label>
                <textarea id="billing-address" name="billing.address" defaultValue={order.billingAddress} rows={3} maxLength={300} />
              </div>
              <div className="field">
                <label htmlFor="billing-po">{billingLabels.purchaseOrder}</label>
                <input id="billing-po" name="billing.purchaseOrder" defaultValue={order.purchaseOrder} maxLength={60} />
              </div>
              <div className="field">
                <label htmlFor="billing-tax">{billingLabels.taxNumber}</label>
                <input id="billing-tax" name="billing.taxNumber" defaultValue={order.buyerTaxNumber} maxLength={40} />
              </div>
            </div>
            <div>
              <button type="submit" name="intent" value="billing" className="button button--small" disabled={busy}>
                Save billing details
              </button>
            </div>
          </Form>
        </details>
      ) : null}
    </section>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
