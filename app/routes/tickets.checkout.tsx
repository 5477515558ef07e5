import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { data, redirect, redirectDocument } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AttendeeFields, SponsorConsentField } from "~/components/attendee-fields";
import { TextField } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { OrderSummary } from "~/components/order-summary";
import { pageMeta, rootData } from "~/components/seo";
import { DomainError } from "~/domain/errors";
import { currentEvent } from "~/domain/event.server";
import { fulfilOrder } from "~/domain/fulfilment.server";
import { HOLD_MINUTES } from "~/domain/checkout-timings";
import { orderForBuyer, placeOrder, quoteSelection } from "~/domain/orders.server";
import { expireOrders } from "~/domain/holds.server";
import { checkInvoiceAllowed, invoiceTerms, payByInvoice } from "~/domain/invoice-orders.server";
import { keepingFormOnOutage } from "~/route-helpers/outage.server";
import { withRetryAfter } from "~/route-helpers/retry-after.server";
import { selectionFrom, ticketsPageWith } from "~/route-helpers/ticket-selection.server";
import { clock } from "~/services/clock.server";
import { env } from "~/services/env.server";
import { checkoutLimiter, retryAfterSeconds } from "~/services/rate-limit.server";
import { checkoutQueue } from "~/services/work-queue.server";
import { emptyAttendee } from "~/validation/attendee";
import { checkoutSchema } from "~/validation/checkout";
import { BillingFields } from "~/components/billing-fields";

// A function declaration (not a call at the top of the file): the browser bundle leaves it and
// the .server helper out.
export function headers({ actionHeaders }: HeadersArgs) {
  return withRetryAfter(actionHeaders, { "Cache-Control": "private, no-store" });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  const params = new URL(request.url).searchParams;
  // Back from Stripe's cancel link (or an expired hold): start again with what was entered.
  const previous = params.get("from") && params.get("k") ? await orderForBuyer(params.get("from")!, params.get("k")!) : null;
  if (previous && ![...params.keys()].some((k) => k.startsWith("quantities."))) {
    for (const item of previous.items) params.set(`quantities.${item.ticketType.slug}`, String(item.quantity));
    if (previous.discountCode) params.set("code", previous.discountCode.code);
  }
  const selection = selectionFrom(params);
  const common = {
    taxName: event.taxName,
    taxRateBps: event.taxRateBps,
    currency: event.currency,
    holdMinutes: HOLD_MINUTES,
    cancelled: params.get("cancelled") === "1",
    ticketsPage: ticketsPageWith(params, { refused: false }),
  };
  if (!selection.success) return refusedSelection(params, { ...common, problem: selection.error.issues[0]?.message ?? "That selection is not valid.", quote: null });
  let quoted;
  try {
    quoted = await quoteSelection(event, selection.data, clock.now());
  } catch (error) {
    if (error instanceof DomainError) return refusedSelection(params, { ...common, problem: error.message, quote: null });
    throw error;
  }
  const { lines, priced, ticketCount } = quoted;
  const terms = invoiceTerms(event, ticketCount, clock.now());
  // Shown when the event offers pay by invoice at all: offered, or why not for this order.
  const invoice = event.payByInvoice && priced.totalCents > 0
    ? terms.offered
      ? { offered: true as const, dueOn: terms.dueOn, why: null }
      : { offered: false as const, dueOn: null, why: terms.rule === "invoice-payment.too-few" ? `Pay by invoice is offered from ${terms.min} tickets.` : terms.rule === "invoice-payment.too-late" ? "Pay by invoice has closed: a transfer would not arrive before the event." : null }
    : null;
  const slots = lines.flatMap((l) => Array.from({ length: l.quantity }, () => l.type.name));
  return {
    ...common,
    problem: null,
    quote: {
      quantities: Object.fromEntries(lines.map((l) => [l.type.slug, l.quantity])),
      code: selection.data.code ?? null,
      offer: selection.data.offer ?? null,
      lines: priced.lines.map((l) => ({ name: l.name, quantity: l.quantity, unitCents: l.unitCents, lineCents: l.lineCents })),
      subtotalCents: priced.subtotalCents,
      discountCents: priced.discountCents,
      taxCents: priced.taxCents,
      totalCents: priced.totalCents,
      slots,
      ticketCount,
      invoice,
      defaults: {
        buyer: { name: previous?.buyerName ?? "", email: previous?.buyerEmail ?? "" },
        payment: invoice?.offered && previous?.paymentMethod === "INVOICE" ? "invoice" : "card",
        namesLater: previous?.attendees.some((a) => a.toBeNamed) ? "on" : "",
        billing: previous?.billingCompany
          ? {
              forCompany: "on",
              company: previous.billingCompany,
              address: previous.billingAddress,
              country: previous.billingCountry,
              purchaseOrder: previous.purchaseOrder,
              taxNumber: previous.buyerTaxNumber,
            }
          : {},
        attendees: slots.map((_, i) => {
          const previousAttendee = previous?.attendees[i];
          // Placeholders of attendees to be named are not details anyone typed.
          if (!previousAttendee || previousAttendee.toBeNamed) return emptyAttendee;
          const { ticketTypeId: _type, toBeNamed: _later, ...details } = previousAttendee;
          return details;
        }),
      },
    },
  };
}

/**
 * A choice checkout cannot take goes back (303) to the tickets page, which keeps the quantities
 * and the code and says what to change: the buyer fixes it where they made it, with the usual
 * back button. A waitlist offer has no place on that page, so its refusals are shown here (422).
 */
function refusedSelection<T>(params: URLSearchParams, page: T) {
  if (!params.get("offer")) throw redirect(ticketsPageWith(params, { refused: true }), 303);
  return data(page, { status: 422 });
}

export const meta: MetaFunction<typeof loader> = ({ matches }) =>
  pageMeta(rootData(matches), { title: "Attendee details", description: "Who is coming: one form per ticket, then payment.", path: "/tickets/checkout" });

// While the database cannot be reached, the buyer keeps the attendee forms as typed, with the
// message above them (a form-level error), and sends them again.
// Called inside the action: a route-helper (.server) module is left out of the browser bundle, so
// a call at the top of the file would fail there when the route loads.
export const action = (args: ActionFunctionArgs) =>
  keepingFormOnOutage(placeCheckout, (message): SubmissionResult<string[]> => ({ status: "error", error: { "": [message] } }))(args);

async function placeCheckout({ request, context }: ActionFunctionArgs) {
  // Buyers take turns until their seats are held (checkoutQueue): server.ts queues checkout posts
  // before Remix reads them; called on its own, the action queues itself.
  const leaveQueue = context.leaveCheckoutQueue ?? (await checkoutQueue.enter());
  let submission;
  let placed;
  let byInvoice = false;
  try {
    const event = await currentEvent(context);
    submission = parseCheckout(await request.formData());
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });

    const wait = await retryAfterSeconds(checkoutLimiter, context.clientIp ?? "unknown");
    if (wait > 0) {
      return data(submission.reply({ formErrors: [`Too many checkout attempts from your network. Please try again in ${Math.ceil(wait / 60)} minutes.`] }), {
        status: 429,
        headers: { "Retry-After": String(wait) },
      });
    }
    byInvoice = submission.value.payment === "invoice";
    // Over the limit of open invoice orders: refused before any seat is held.
    if (byInvoice) await checkInvoiceAllowed(event, submission.value.buyer.email, context.clientIp ?? "unknown");
    placed = await placeOrder(event, { ...submission.value, namesLater: byInvoice && submission.value.namesLater === "on" }, clock.now());
  } catch (error) {
    if (!(error instanceof DomainError) || !submission) throw error;
    // A plain form refused because the seats are gone: its page would be rendered again only for
    // its loader to find them gone and send the buyer back to the tickets page. Sent there now.
    const params = new URL(request.url).searchParams;
    if (context.plainFormPost && SEATS_GONE.has(error.rule) && !params.get("offer")) throw redirect(ticketsPageWith(params, { refused: true }), 303);
    return refused(submission, error);
  } finally {
    // The seats are held (or refused): the next buyer's turn.
    leaveQueue();
  }

  // The seats are held. A free order is confirmed now; any other goes on to its payment step,
  // which opens Stripe's page (orders.$ref_.pay.tsx): Stripe's speed and request limits never slow
  // down holding seats, and a buyer whose payment page cannot be opened keeps them.
  const orderPage = `${env().APP_URL}/orders/${placed.reference}?k=${placed.accessToken}`;
  if (placed.totalCents === 0) {
    await fulfilOrder(placed.id, "free", clock.now());
    return redirect(orderPage, 303);
  }
  if (byInvoice) {
    // The hold becomes an order awaiting payment until its due date, with its invoice emailed; if
    // the event's terms refuse it after all, the seats go straight back.
    try {
      await payByInvoice(placed.id, { clientAddress: context.clientIp ?? "unknown" }, clock.now());
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await expireOrders({ orderIds: [placed.id] }, "CANCELLED", "invoice-refused");
      return refused(submission, error);
    }
    return redirect(orderPage, 303);
  }
  // A document load, so the browser follows the payment step's redirect to Stripe's page.
  return redirectDocument(`${env().APP_URL}/orders/${placed.reference}/pay?k=${placed.accessToken}`, 303);
}

/** Refusals that mean the tickets page has to change the selection (refusedSelection). */
const SEATS_GONE = new Set(["ticket-type.sold-out", "ticket-type.not-enough"]);

const parseCheckout = (formData: FormData) => parseWithZod(formData, { schema: checkoutSchema });

function refused(submission: ReturnType<typeof parseCheckout>, error: DomainError) {
  // 412: the total the buyer confirmed no longer holds, so the page must show the new one.
  const status = error.rule === "order.changed" ? 412 : 409;
  return data(
    submission.reply(error.field ? { fieldErrors: { [error.field]: [error.message] } } : { formErrors: [error.message] }),
    { status },
  );
}

// A refused checkout (invalid field, sold out, code used up, too many attempts) changed nothing
// the page shows, so its data is not fetched again: in a rush that spares each refused buyer a
// second request. A changed total (412) does refresh the summary.
const UNCHANGED = new Set([400, 409, 429]);
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus !== undefined && UNCHANGED.has(actionStatus) ? false : defaultShouldRevalidate;

export default function Checkout() {
  const { quote, problem, taxName, taxRateBps, currency, holdMinutes, cancelled, ticketsPage } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "checkout",
    lastResult,
    constraint: getZodConstraint(checkoutSchema),
    defaultValue: quote?.defaults,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: checkoutSchema }),
  });
  if (!quote) {
    return (
      <div className="container container--narrow">
        <header className="page-head">
          <p className="eyebrow">Checkout</p>
          <h1>Let's try that again</h1>
        </header>
        <FormErrors errors={problem} />
        <Link className="button" to={ticketsPage}>
          Back to tickets
        </Link>
      </div>
    );
  }
  const buyer = fields.buyer.getFieldset();
  const billing = fields.billing.getFieldset();
  // conform keys the rows of the form's default only; rows a post added (`attendees[9]`, sent by a script) come without.
  const attendees = fields.attendees.getFieldList();
  const byInvoice = quote.invoice?.offered === true && fields.payment.value === "invoice";
  // Paying by invoice with names to come: no attendee forms (the tickets go to the buyer to name).
  const namesLater = byInvoice && fields.namesLater.value === "on";
  const otherErrors = Object.entries(form.allErrors)
    .filter(([name]) => name.startsWith("quantities") || name === "code" || name === "offer" || name === "payment")
    .flatMap(([, errors]) => errors);
  const errors = [...(form.errors ?? []), ...otherErrors];
  return (
    <div className="container">
      <header className="page-head">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to={ticketsPage}>← Change tickets</Link>
        </nav>
        <p className="eyebrow">Checkout</p>
        <h1>Who is coming?</h1>
        <p className="lead">
          {namesLater
            ? "You name the attendees after the order: each ticket comes to you with a link to name its attendee."
            : byInvoice
              ? `One form per ticket. Your seats are held until the invoice's due date, ${quote.invoice?.dueOn}.`
              : `One form per ticket. Your seats are held for ${holdMinutes} minutes once you continue to payment.`}
        </p>
      </header>
      {cancelled ? (
        <div className="alert alert--info" role="status">
          <p>Payment was cancelled and your seats were released. Your details are still here if you want to try again.</p>
        </div>
      ) : null}
      <FormErrors errors={errors} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="checkout">
        <div>
          {Object.entries(quote.quantities).map(([slug, quantity]) => (
            <input key={slug} type="hidden" name={`quantities.${slug}`} value={quantity} />
          ))}
          {quote.code ? <input type="hidden" name="code" value={quote.code} /> : null}
          {quote.offer ? <input type="hidden" name="offer" value={quote.offer} /> : null}
          <input type="hidden" name="expectedTotalCents" value={quote.totalCents} />
          <fieldset className="panel">
            <legend>Your details (the buyer)</legend>
            <p className="small muted">The receipt goes to this address.</p>
            <div className="form-grid">
              <TextField field={buyer.name} label="Your name" autoComplete="name" />
              <TextField field={buyer.email} label="Your email" type="email" autoComplete="email" />
            </div>
            <BillingFields fields={billing} />
          </fieldset>
          {quote.invoice ? (
            <fieldset className="panel">
              <legend>How will you pay?</legend>
              <div className="stack">
                <label className="check">
                  <input {...getInputProps(fields.payment, { type: "radio", value: "card" })} key={`${fields.payment.key}-card`} />{" "}
                  By card now, on Stripe's secure page. Tickets at once.
                </label>
                <label className="check">
                  <input
                    {...getInputProps(fields.payment, { type: "radio", value: "invoice" })}
                    key={`${fields.payment.key}-invoice`}
                    disabled={!quote.invoice.offered}
                    aria-describedby="invoice-terms"
                  />{" "}
                  By invoice: bank transfer, cheque or EFT{quote.invoice.offered ? `, due by ${quote.invoice.dueOn}` : ""}.
                </label>
                <p className="small muted" id="invoice-terms">
                  {quote.invoice.offered
                    ? "For company buyers: the invoice is made out to the company below and emailed at once with the payment instructions. Your seats are held until the due date; tickets are issued when the payment arrives."
                    : quote.invoice.why}
                </p>
                {byInvoice ? (
                  <label className="check">
                    <input {...getInputProps(fields.namesLater, { type: "checkbox", value: "on" })} key={fields.namesLater.key} /> I will name the attendees later
                    (each ticket comes to me with a link to name its attendee)
                  </label>
                ) : null}
              </div>
            </fieldset>
          ) : null}
          {namesLater ? null : attendees.map((attendee, i) => {
            const a = attendee.getFieldset();
            return (
              <fieldset className="panel" key={attendee.key ?? i}>
                <legend>
                  Attendee {i + 1}: {quote.slots[i]}
                </legend>
                <AttendeeFields fields={a} emailHint="The ticket and its QR code are sent here." />
                <SponsorConsentField field={a.shareWithSponsors} />
              </fieldset>
            );
          })}
        </div>
        <aside className="checkout__aside stack" aria-label="Order summary and payment">
          <OrderSummary {...quote} currency={currency} taxName={taxName} taxRateBps={taxRateBps} />
          <button type="submit" className="button button--accent" style={{ width: "100%" }} disabled={navigation.state === "submitting"}>
            {quote.totalCents === 0 ? "Confirm free tickets" : byInvoice ? "Confirm and send the invoice" : "Continue to payment"}
          </button>
          <p className="small muted">
            {quote.totalCents === 0
              ? "No payment is needed for this order."
              : byInvoice
                ? `The invoice is emailed at once; pay by ${quote.invoice?.dueOn}. Tickets are issued when the payment arrives.`
                : "You pay on Stripe's secure page. Tickets are issued as soon as the payment is confirmed."}
          </p>
        </aside>
      </Form>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
