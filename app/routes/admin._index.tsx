import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AdminTable } from "~/components/admin-list";
import { SalesChart } from "~/components/sales-chart";
import { isEventDay } from "~/domain/event.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { closeTicketSales, ticketTypesOnSaleAfterEnd } from "~/domain/event-settings.server";
import { formatMoney } from "~/domain/money";
import { dashboard } from "~/domain/reports.server";
import { can, requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "checkin:scan");
  // Door staff land on check-in, their only page.
  if (!can(user, "admin:access")) throw redirect("/admin/check-in");
  const event = await adminEvent(request, context);
  const [report, stillOnSale] = await Promise.all([dashboard(event, clock.now()), ticketTypesOnSaleAfterEnd(event, clock.now())]);
  return {
    currency: event.currency,
    taxName: event.taxName,
    eventDay: isEventDay(event, clock.now()),
    stillOnSale: stillOnSale.map((t) => t.name),
    // Receipts without the seller's registration number are no use for input tax credits.
    missingTaxNumber: !event.taxNumber,
    canEditSettings: can(user, "settings:manage"),
    canCloseSales: can(user, "tickets:write"),
    ...report,
  };
}

/** "Close sales": every ticket type still on sale after the event ended stops selling now. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "tickets:write");
  const form = await request.formData();
  if (form.get("intent") !== "close-sales") return data({ closed: null, error: "That action is not available. Reload the page and try again." }, { status: 400 });
  const event = await adminEvent(request, context);
  return { closed: await closeTicketSales(event.id, user.id, clock.now()), error: null };
}

export default function Dashboard() {
  const { currency, taxName, eventDay, stillOnSale, missingTaxNumber, canEditSettings, canCloseSales, types, totals, daily, checkIn, ticketsSold, stripeEvents, failedJobs, invoicesPastDue } =
    useLoaderData<typeof loader>();
  const closed = useActionData<typeof action>();
  const money = (cents: number) => formatMoney(cents, currency);
  const stats = [
    ["Tickets sold", String(ticketsSold)],
    ["Gross revenue", money(totals.gross)],
    ["Refunds", money(totals.refunds)],
    ["Net revenue", money(totals.net)],
    [`${taxName} collected`, money(totals.tax)],
  ] as const;
  return (
    <div className="stack">
      <h1>Dashboard</h1>
      <StripeEventsNotice {...stripeEvents} />
      {invoicesPastDue.length > 0 ? (
        <section className="alert alert--error" role="alert" aria-labelledby="past-due-title">
          <h2 id="past-due-title">
            {invoicesPastDue.length === 1 ? "1 invoice order is" : `${invoicesPastDue.length} invoice orders are`} past the due date with part of the money received
          </h2>
          <p>They keep their seats until you record the rest, give more time, or cancel them and return what was paid:</p>
          <ul>
            {invoicesPastDue.map((o) => (
              <li key={o.id}>
                <Link to={`/admin/orders/${o.id}`}>{o.reference}</Link> · {o.billingCompany || o.buyerName} · {money(o.totalCents)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {closed?.error ? (
        <p className="alert alert--error" role="alert">
          {closed.error}
        </p>
      ) : null}
      {closed?.closed ? (
        <p className="alert alert--ok" role="status">
          Sales closed for {closed.closed === 1 ? "1 ticket type" : `${closed.closed} ticket types`}.
        </p>
      ) : null}
      {stillOnSale.length > 0 ? (
        <section className="alert alert--error" role="alert" aria-labelledby="on-sale-title">
          <h2 id="on-sale-title">The event is over, but tickets are still on sale</h2>
          <p>Buyers can still buy {stillOnSale.join(", ")}.</p>
          {canCloseSales ? (
            <Form method="post">
              <button type="submit" name="intent" value="close-sales" className="button">
                Close sales now
              </button>
            </Form>
          ) : (
            <p>Ask an organiser who manages tickets to close them.</p>
          )}
        </section>
      ) : null}
      {missingTaxNumber ? (
        <p className="alert alert--info" role="status">
          Receipts show no {taxName} registration number yet, so business buyers cannot claim the tax back.{" "}
          {canEditSettings ? <Link to="/admin/settings">Add it in the event settings</Link> : "An admin can add it in the event settings."}
        </p>
      ) : null}
      {failedJobs > 0 ? (
        <p className="alert alert--error" role="alert">
          {failedJobs === 1 ? "1 background job" : `${failedJobs} background jobs`} (emails, payment events or sweeps) failed every
          attempt. <Link to="/admin/jobs">See what failed and retry</Link>.
        </p>
      ) : null}
      {eventDay ? (
        <section aria-labelledby="checkin-title" className="card">
          <h2 id="checkin-title">Check-in today</h2>
          <p className="stat__value">
            {checkIn.checkedIn} of {checkIn.valid} checked in
          </p>
          <meter className="gauge" min={0} max={Math.max(1, checkIn.valid)} value={checkIn.checkedIn} aria-labelledby="checkin-title" />
          <p className="small">
            <Link to="/admin/check-in">Open check-in</Link>
          </p>
        </section>
      ) : null}
      <div className="stat-grid">
        {stats.map(([label, value]) => (
          <div className="stat" key={label}>
            <p className="stat__label">{label}</p>
            <p className="stat__value">{value}</p>
          </div>
        ))}
      </div>
      <p className="small muted">
        Gross is what {totals.orders} paid orders charged (after {money(totals.discounts)} of discounts, {taxName} included); net is gross minus refunds.
      </p>
      <section aria-labelledby="types-title" className="stack">
        <h2 id="types-title">By ticket type</h2>
        <AdminTable
          caption="Seats and sales by ticket type"
          rows={types}
          columns={[
            {
              header: "Ticket type",
              rowHeader: true,
              cell: (t) => (
                <>
                  {t.name}
                  {t.isPublic ? null : <span className="badge"> code only</span>}
                </>
              ),
            },
            {
              header: "Capacity used",
              cell: (t) => (
                <>
                  <meter className="gauge" min={0} max={Math.max(1, t.capacity)} value={t.sold + t.held} high={t.capacity * 0.9} aria-label={`${t.name}: ${t.sold + t.held} of ${t.capacity} seats taken`} />
                  <span className="small"> {t.sold + t.held}/{t.capacity}</span>
                </>
              ),
            },
            { header: "Sold", numeric: true, cell: (t) => t.sold },
            { header: "Held at checkout", numeric: true, cell: (t) => t.heldAtCheckout },
            { header: "Awaiting invoice payment", numeric: true, cell: (t) => t.awaitingInvoice },
            { header: "Available", numeric: true, cell: (t) => t.available },
            { header: "Refunded", numeric: true, cell: (t) => t.refunded },
            { header: "Sales (list)", numeric: true, cell: (t) => money(t.grossCents) },
            { header: "Discounts", numeric: true, cell: (t) => money(t.discountCents) },
            { header: "Sales (net, before tax)", numeric: true, cell: (t) => money(t.netCents) },
          ]}
        />
      </section>
      <section aria-labelledby="daily-title" className="stack">
        <h2 id="daily-title">Sales over time</h2>
        <SalesChart days={daily} currency={currency} />
      </section>
    </div>
  );
}

type StripeEvents = Awaited<ReturnType<typeof loader>>["stripeEvents"];

const utc = (value: Date | string) => `${new Date(value).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** Payments Stripe told us about that are not reflected in orders yet. Nothing when all is well. */
function StripeEventsNotice({ waiting, failing, failingCount }: StripeEvents) {
  if (failingCount > 0) {
    return (
      <section className="alert alert--error" role="alert" aria-labelledby="stripe-events-title">
        <h2 id="stripe-events-title">
          {failingCount === 1 ? "1 payment event from Stripe" : `${failingCount} payment events from Stripe`} could not be processed yet
        </h2>
        <p>
          The app keeps trying on its own, and so does Stripe. If this stays, the buyers concerned may have paid
          without receiving tickets: check their orders and the server log.
        </p>
        <ul className="small">
          {failing.map((e) => (
            <li key={e.id}>
              <code>{e.type}</code> ({e.id}), received {utc(e.receivedAt)}, {e.attempts} {e.attempts === 1 ? "attempt" : "attempts"}:{" "}
              {e.lastError}
            </li>
          ))}
        </ul>
      </section>
    );
  }
  if (waiting > 0) {
    return (
      <p className="alert alert--info" role="status">
        {waiting === 1 ? "1 payment event from Stripe is" : `${waiting} payment events from Stripe are`} waiting to be processed. This
        happens when many people pay at once, and clears within a minute or two.
      </p>
    );
  }
  return null;
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
