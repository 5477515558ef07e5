import type { HeadersFunction, MetaFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { pageMeta, rootData } from "~/components/seo";
import { currentEvent } from "~/domain/event.server";
import { formatMoney, formatRate } from "~/domain/money";
import { publicTicketTypes, type Availability } from "~/domain/ticket-catalogue.server";
import { clock } from "~/services/clock.server";
import { publicCacheHeaders } from "~/services/http-cache.server";

export const headers: HeadersFunction = () => publicCacheHeaders;

export async function loader({ context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  return {
    types: await publicTicketTypes(event, clock.now()),
    tax: `${event.taxName} ${formatRate(event.taxRateBps)}`,
    currency: event.currency,
    eventName: event.shortName,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(rootData(matches), {
    title: "Tickets",
    description: `Delegate, academic, startup and reception tickets for ${data?.eventName ?? "RE3M 2025"}. Prices in ${data?.currency ?? "CAD"} plus ${data?.tax ?? "tax"}.`,
    path: "/tickets",
  });

const availabilityText: Record<Availability, (remaining: number | null) => { label: string; tone: string }> = {
  "on-sale": () => ({ label: "On sale", tone: "ok" }),
  "few-left": (remaining) => ({ label: `Few left: ${remaining}`, tone: "warn" }),
  "sold-out": () => ({ label: "Sold out", tone: "danger" }),
  "not-yet": () => ({ label: "Not on sale yet", tone: "" }),
  ended: () => ({ label: "Sales ended", tone: "" }),
};

export default function Tickets() {
  const { types, tax, currency } = useLoaderData<typeof loader>();
  return (
    <div className="container">
      <header className="page-head">
        <p className="eyebrow">Tickets</p>
        <h1>Choose your ticket</h1>
        <p className="lead">
          Prices are in {currency} and exclude {tax}, which is shown on every ticket and added at checkout. One
          order can include tickets for several people.
        </p>
      </header>
      <ul className="ticket-list" aria-label="Ticket types">
        {types.map((type) => {
          const availability = availabilityText[type.state](type.remaining);
          const buyable = type.state === "on-sale" || type.state === "few-left";
          return (
            <li key={type.slug}>
              <article className={`card ticket${buyable ? "" : " ticket--unavailable"}`} aria-labelledby={`type-${type.slug}`}>
                <h2 id={`type-${type.slug}`}>{type.name}</h2>
                <p className="ticket__price">
                  {formatMoney(type.priceCents, type.currency)} <small>{type.currency}</small>
                </p>
                <p className="ticket__tax">
                  + {formatMoney(type.taxCents, type.currency)} {tax} = {formatMoney(type.totalCents, type.currency)}
                </p>
                <p className="small">{type.description}</p>
                {type.includes.length > 0 ? (
                  <ul aria-label={`${type.name} includes`}>
                    {type.includes.map((item) => (
                      <li key={item}>{item}</li>
                    ))}
                  </ul>
                ) : null}
                <div className="ticket__foot">
                  <span className={`badge${availability.tone ? ` badge--${availability.tone}` : ""}`}>{availability.label}</span>
                  <span className="small muted">Up to {type.maxPerOrder} per order</span>
                </div>
              </article>
            </li>
          );
        })}
      </ul>
      <p className="notice" style={{ marginTop: "var(--space-6)" }}>
        Online checkout opens shortly. Group bookings and invoices: write to the organisers.
      </p>
    </div>
  );
}
