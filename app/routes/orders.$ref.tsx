import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { OrderSummary } from "~/components/order-summary";
import { DomainError } from "~/domain/errors";
import { eventOf } from "~/domain/event.server";
import { ticketStatusLabel } from "~/domain/labels";
import { formatMoney } from "~/domain/money";
import { dayKey, formatDayKey } from "~/domain/time";
import { orderForBuyer, orderSummaryFor } from "~/domain/orders.server";
import { documentsOfOrder } from "~/domain/invoices.server";
import { InvoiceLinks } from "~/components/invoice-view";
import { settleSession } from "~/domain/settlement.server";
import { resendTicketEmail } from "~/domain/tickets.server";
import { clock } from "~/services/clock.server";
import { privateHeaders } from "~/services/http-cache.server";
import { log } from "~/services/log.server";
import { stripe } from "~/services/stripe.server";
import { resendTicketSchema } from "~/validation/ticket";
import { RefundPolicy } from "~/components/refund-policy";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { BillingFields } from "~/components/billing-fields";
import { FormErrors } from "~/components/form-errors";
import { updateBillingBeforeInvoice } from "~/domain/invoices.server";
import { billingCorrectionSchema } from "~/validation/checkout";

export const headers = () => privateHeaders;

const orderNotFound = () =>
  data({ message: "We could not find that order. Use the link from your confirmation email." }, { status: 404, headers: privateHeaders });

type PaymentState = "paid" | "processing" | "awaiting" | "expired" | "cancelled" | "refunded";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const key = url.searchParams.get("k") ?? "";
  let order = await orderForBuyer(params.ref!, key);
  if (!order) throw orderNotFound();
  // The order's own edition, also when a later one is public now.
  const event = await eventOf(order.eventId);

  let state: PaymentState = statusToState(order.status);
  const backFromCheckout = url.searchParams.get("from") === "checkout";
  if (order.status === "PENDING" && order.stripeSessionId) {
    // Coming back from Stripe: ask Stripe rather than trust the redirect; a paid session is
    // fulfilled here if the webhook has not arrived yet.
    try {
      const session = await stripe().checkout.sessions.retrieve(order.stripeSessionId);
      if (session.payment_status === "paid") {
        await settleSession(session, clock.now());
        order = (await orderForBuyer(params.ref!, key))!;
        state = statusToState(order.status);
      } else if (session.status === "complete") {
        state = "processing";
      }
    } catch (error) {
      log.warn("could not check a checkout session", { order: order.reference, error: String(error) });
    }
  }
  const documents = await documentsOfOrder(order.id);
  return {
    state,
    backFromCheckout,
    order: {
      ...orderSummaryFor(order, event.timeZone),
      buyerName: order.buyerName,
      buyerEmail: order.buyerEmail,
      refundedCents: order.refundedCents,
      tickets: order.tickets.map((t) => ({
        id: t.id,
        name: t.name,
        email: t.email,
        type: t.ticketType.name,
        status: t.status,
        // The buyer holds the tickets they name later: their page is where the attendee is named.
        nameUrl: t.toBeNamed && t.status === "VALID" ? `/my/${t.manageToken}` : null,
      })),
    },
    byInvoice:
      order.paymentMethod === "INVOICE"
        ? (() => {
            const paidCents = order.payments.reduce((sum, p) => sum + p.amountCents, 0);
            return {
              dueOn: order.dueAt ? formatDayKey(dayKey(order.dueAt, event.timeZone)) : null,
              paidCents,
              outstandingCents: Math.max(0, order.totalCents - paidCents),
              instructions: event.paymentInstructions,
              invoiceNumber: documents.filter((d) => d.kind === "INVOICE").at(-1)?.number ?? null,
            };
          })()
        : null,
    key,
    currency: order.currency,
    refundPolicy: event.refundPolicy,
    documents,
    billing: {
      forCompany: order.billingCompany ? "on" : "",
      company: order.billingCompany,
      address: order.billingAddress,
      country: order.billingCountry,
      purchaseOrder: order.purchaseOrder,
      taxNumber: order.buyerTaxNumber,
    },
    // The buyer's own details are theirs to change until an invoice carries them.
    billingEditable: order.status === "PENDING" && !documents.some((d) => d.kind === "INVOICE"),
    contactEmail: event.contactEmail,
  };
}

/** "Resend ticket email": the buyer sends one ticket of this order again, to its current holder. */
export async function action({ params, request }: ActionFunctionArgs) {
  const order = await orderForBuyer(params.ref!, new URL(request.url).searchParams.get("k") ?? "");
  if (!order) throw orderNotFound();
  const formData = await request.formData();
  if (formData.get("intent") === "billing") return saveBilling(order.id, formData);
  const parsed = resendTicketSchema.safeParse({ ticketId: formData.get("ticketId") });
  if (!parsed.success) return data({ ticketId: null, ok: false, message: parsed.error.issues[0]!.message, billing: null }, { status: 400, headers: privateHeaders });
  const { ticketId } = parsed.data;
  try {
    const sent = await resendTicketEmail(order.id, ticketId, clock.now());
    return data({ ticketId, ok: true, message: `Sent again to ${sent.email}. It can take a few minutes to arrive.`, billing: null }, { headers: privateHeaders });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const status = error.rule === "ticket.resend-too-soon" ? 429 : 409;
    return data({ ticketId, ok: false, message: error.message, billing: null }, { status, headers: privateHeaders });
  }
}

/** "Billing details": the buyer corrects who the invoice will be made out to, before it is issued. */
async function saveBilling(orderId: string, formData: FormData) {
  const submission = parseWithZod(formData, { schema: billingCorrectionSchema });
  if (submission.status !== "success") return data({ ticketId: null, ok: false, message: null, billing: submission.reply(), forBilling: true }, { status: 400, headers: privateHeaders });
  try {
    const changed = await updateBillingBeforeInvoice(orderId, submission.value.billing);
    return data(
      { ticketId: null, ok: true, message: changed ? "Billing details saved: the invoice will be made out with them." : "The billing details were already these.", billing: null, forBilling: true },
      { headers: privateHeaders },
    );
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return data({ ticketId: null, ok: false, message: null, billing: submission.reply({ formErrors: [error.message] }), forBilling: true }, { status: 409, headers: privateHeaders });
  }
}

function statusToState(status: string): PaymentState {
  switch (status) {
    case "PAID":
      return "paid";
    case "EXPIRED":
      return "expired";
    case "CANCELLED":
      return "cancelled";
    case "REFUNDED":
      return "refunded";
    default:
      return "awaiting";
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Order ${data.order.reference} · RE3M 2025` : "Order · RE3M 2025" },
  { name: "robots", content: "noindex" },
  // While the bank decides, the page checks again by itself (no JavaScript needed).
  // (An order paid by invoice waits for a transfer, days away: nothing to check again so soon.)
  ...(data?.state === "processing" || (data?.state === "awaiting" && data.backFromCheckout && !data.byInvoice) ? [{ httpEquiv: "refresh", content: "4" } as const] : []),
];

const headline: Record<PaymentState, string> = {
  paid: "You're going to RE3M 2025",
  processing: "Payment processing",
  awaiting: "Waiting for your payment",
  expired: "This order expired",
  cancelled: "This order was cancelled",
  refunded: "This order was refunded",
};

export default function OrderPage() {
  const { state, order, key, currency, refundPolicy, documents, byInvoice, billing, billingEditable, contactEmail } = useLoaderData<typeof loader>();
  const resent = useActionData<typeof action>();
  const navigation = useNavigation();
  const sending = navigation.state === "submitting" ? navigation.formData?.get("ticketId") : null;
  const again = `/tickets/checkout?from=${order.reference}&k=${encodeURIComponent(key)}`;
  return (
    <div className="container">
      <header className="page-head">
        <p className="eyebrow">Order {order.reference}</p>
        <h1>{byInvoice && state === "awaiting" ? "Awaiting your payment by invoice" : headline[state]}</h1>
        {state === "paid" ? (
          <p className="lead">
            Thank you, {order.buyerName}. Each attendee gets their ticket with its QR code by email; the receipt goes
            to {order.buyerEmail}.
          </p>
        ) : null}
      </header>
      <div className="checkout">
        <div className="stack">
          {state === "processing" ? (
            <div className="alert alert--info" role="status">
              <p>Your bank is confirming the payment. This page updates by itself; your tickets appear here once it is confirmed.</p>
            </div>
          ) : null}
          {state === "awaiting" && byInvoice ? (
            <section className="panel-section stack" aria-labelledby="pay-title">
              <h2 id="pay-title">How to pay</h2>
              <dl className="facts">
                <div>
                  <dt>Amount due</dt>
                  <dd>
                    <strong>{formatMoney(byInvoice.outstandingCents, currency)}</strong>
                    {byInvoice.paidCents > 0 ? ` (${formatMoney(byInvoice.paidCents, currency)} received so far)` : null}
                  </dd>
                </div>
                <div>
                  <dt>Due by</dt>
                  <dd>{byInvoice.dueOn}</dd>
                </div>
                <div>
                  <dt>Quote with your payment</dt>
                  <dd>
                    {byInvoice.invoiceNumber ? `${byInvoice.invoiceNumber} (order ${order.reference})` : order.reference}
                  </dd>
                </div>
              </dl>
              <p className="pre-line">{byInvoice.instructions}</p>
              <p className="small muted">
                Your seats are held until the due date. Tickets are issued and emailed as soon as the full payment is recorded; unpaid after the due date,
                the order is cancelled and the seats go back on sale.
              </p>
            </section>
          ) : null}
          {state === "awaiting" && !byInvoice ? (
            <div className="alert alert--info" role="status">
              <p>
                Your seats are held until {order.holdEnds}. If you have paid, this page updates in a few seconds.
              </p>
              <p className="button-row">
                {/* The payment step: Stripe's page for this order (opened now if it was not yet). */}
                <a className="button" href={`/orders/${order.reference}/pay?k=${encodeURIComponent(key)}`}>
                  Complete payment
                </a>
              </p>
            </div>
          ) : null}
          {state === "expired" || state === "cancelled" ? (
            <div className="alert alert--info" role="status">
              <p>
                {byInvoice
                  ? "The seats were released and the invoice was cancelled by a credit note (below). Nothing is owed."
                  : "No payment was taken and the seats were released."}
              </p>
              <p>
                <Link className="button" to={again}>
                  Start again with the same details
                </Link>
              </p>
            </div>
          ) : null}
          {state === "refunded" ? (
            <div className="alert alert--info" role="status">
              <p>
                {formatMoney(order.refundedCents, currency)} was refunded {byInvoice ? "by transfer to the account that paid" : "to your card"}.
              </p>
            </div>
          ) : null}
          <BuyerBilling
            billing={billing}
            editable={billingEditable}
            contactEmail={contactEmail}
            action={`/orders/${order.reference}?k=${encodeURIComponent(key)}`}
            result={resent && "forBilling" in resent ? resent : undefined}
          />
          {order.tickets.length > 0 ? (
            <section aria-labelledby="tickets-title">
              <h2 id="tickets-title">Tickets</h2>
              <ul className="ticket-rows">
                {order.tickets.map((t) => (
                  <li key={t.id}>
                    <span>
                      <strong>{t.name}</strong>
                      <br />
                      <span className="small muted">
                        {t.type} · {t.email}
                      </span>
                    </span>
                    <span className="ticket-rows__end">
                      <span className={`badge ${t.status === "VALID" ? "badge--ok" : "badge--danger"}`}>{ticketStatusLabel[t.status]}</span>
                      {t.nameUrl ? (
                        <Link className="button button--small" to={t.nameUrl}>
                          Name this attendee
                        </Link>
                      ) : null}
                      {t.status === "VALID" ? (
                        <Form method="post" action={`/orders/${order.reference}?k=${encodeURIComponent(key)}`} preventScrollReset>
                          <input type="hidden" name="ticketId" value={t.id} />
                          <button
                            type="submit"
                            className="button button--small button--ghost"
                            aria-label={`Resend ticket email to ${t.name}`}
                            disabled={sending === t.id}
                          >
                            Resend ticket email
                          </button>
                        </Form>
                      ) : null}
                    </span>
                    {resent?.ticketId === t.id ? (
                      <p className={`ticket-rows__note ${resent.ok ? "ok" : "field-error"}`} role={resent.ok ? "status" : "alert"}>
                        {resent.message}
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
              {resent && !("forBilling" in resent) && !order.tickets.some((t) => t.id === resent.ticketId) ? (
                <p className="field-error" role="alert">
                  {resent.message}
                </p>
              ) : null}
              <p className="small muted">
                Each attendee manages their own ticket (details, transfer, calendar) from the link in their ticket email.
              </p>
            </section>
          ) : null}
        </div>
        <aside className="checkout__aside">
          <OrderSummary {...order} currency={currency} caption={`Order ${order.reference}`} />
          <InvoiceLinks docs={documents} href={(d) => `/orders/${order.reference}/invoices/${d.number}?k=${encodeURIComponent(key)}`} />
          <RefundPolicy text={refundPolicy} className="small" />
        </aside>
      </div>
    </div>
  );
}

type BillingValues = { forCompany: string; company: string; address: string; country: string; purchaseOrder: string; taxNumber: string };

/** Who the invoice is made out to: editable by the buyer until it is issued, then a matter for the organisers. */
function BuyerBilling({
  billing,
  editable,
  contactEmail,
  action,
  result,
}: {
  billing: BillingValues;
  editable: boolean;
  contactEmail: string;
  action: string;
  result?: { ok: boolean; message: string | null; billing: SubmissionResult<string[]> | null };
}) {
  const [form, fields] = useForm({
    id: "order-billing",
    lastResult: result?.billing ?? undefined,
    defaultValue: { billing },
    constraint: getZodConstraint(billingCorrectionSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: billingCorrectionSchema }),
  });
  const company = billing.company !== "";
  if (!editable && !company) return null;
  return (
    <section aria-labelledby="billing-title" className="panel-section stack">
      <h2 id="billing-title">Billing details</h2>
      {company ? (
        <p className="pre-line">
          {[billing.company, billing.address, billing.country].filter(Boolean).join("\n")}
          {billing.purchaseOrder ? `\nPurchase order: ${billing.purchaseOrder}` : ""}
          {billing.taxNumber ? `\nTax number: ${billing.taxNumber}` : ""}
        </p>
      ) : null}
      {result?.ok && result.message ? (
        <p className="alert alert--ok" role="status">
          {result.message}
        </p>
      ) : null}
      {editable ? (
        <Form method="post" action={action} {...getFormProps(form)} className="stack" preventScrollReset>
          <FormErrors errors={form.errors} id={form.errorId} />
          <BillingFields fields={fields.billing.getFieldset()} />
          <div>
            <button type="submit" name="intent" value="billing" className="button button--small">
              Save billing details
            </button>
          </div>
        </Form>
      ) : (
        <p className="small muted">
          The invoice is issued with these details. To correct them, write to {contactEmail || "the organisers"}: they cancel it with a credit note and issue a
          corrected one.
        </p>
      )}
    </section>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
