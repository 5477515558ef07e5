import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { pageMeta, rootData } from "~/components/seo";
import { DomainError } from "~/domain/errors";
import { currentEvent } from "~/domain/event.server";
import { formatMoney, formatRate } from "~/domain/money";
import { loadDiscount } from "~/domain/orders.server";
import { publicTicketTypes, type Availability } from "~/domain/ticket-catalogue.server";
import { discountCodeFrom, selectionProblem } from "~/route-helpers/ticket-selection.server";
import { clock } from "~/services/clock.server";
import { publicCacheHeaders } from "~/services/http-cache.server";
import { RefundPolicy } from "~/components/refund-policy";

export const headers: HeadersFunction = () => publicCacheHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  const now = clock.now();
  const url = new URL(request.url);
  const parsedCode = discountCodeFrom(url.searchParams);
  let code: { code: string; summary: string; unlocked: string[] } | null = null;
  let codeError: string | null = parsedCode.success ? null : (parsedCode.error.issues[0]?.message ?? "That code is not valid.");
  if (parsedCode.success && parsedCode.data) {
    try {
      const found = await loadDiscount(event.id, parsedCode.data, now);
      code = {
        code: found.code,
        summary:
          found.kind === "PERCENT"
            ? found.amount === 0
              ? "It unlocks tickets that are not otherwise on sale."
              : `${formatRate(found.amount)} off${found.ticketTypeIds.length ? " eligible tickets" : ""}, shown before you pay.`
            : `${formatMoney(found.amount, event.currency)} off${found.ticketTypeIds.length ? " eligible tickets" : ""}, shown before you pay.`,
        unlocked: found.ticketTypeIds,
      };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      codeError = error.message;
    }
  }
  // Sent back by checkout: say what stopped the choice, on the page where it was made.
  const problem = url.searchParams.has("refused") ? await selectionProblem(event, url.searchParams, now) : null;
  const waitlistParam = url.searchParams.get("waitlisted");
  const chosen = Object.fromEntries(
    [...url.searchParams].filter(([k]) => k.startsWith("quantities.")).map(([k, v]) => [k.slice("quantities.".length), Number(v) || 0]),
  );
  return {
    types: (await publicTicketTypes(event, now, code?.unlocked)).map(({ id: _id, ...type }) => type),
    tax: `${event.taxName} ${formatRate(event.taxRateBps)}`,
    currency: event.currency,
    eventName: event.shortName,
    refundPolicy: event.refundPolicy,
    code,
    codeInput: url.searchParams.get("code") ?? "",
    codeError,
    waitlisted: waitlistParam,
    chosen,
    problem,
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
  const { types, tax, currency, refundPolicy, code, codeInput, codeError, waitlisted, chosen, problem } = useLoaderData<typeof loader>();
  const buyable = types.some((t) => t.selectable > 0);
  // A refusal is said above the list, where the page opens, and marks the field it is about.
  const codeMessage = codeError ?? (problem?.field === "code" ? problem.message : null);
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
      {waitlisted ? (
        <div className="alert alert--ok" role="status">
          <p>You are on the waitlist for {waitlisted}. We will email you as soon as a seat is free for you.</p>
        </div>
      ) : null}
      <Form method="get" action="/tickets/checkout" id="selection">
        <FormErrors errors={problem?.message} id="selection-problem" />
        <ul className="ticket-list" aria-label="Ticket types">
          {types.map((type) => {
            const availability = availabilityText[type.state](type.remaining);
            const open = type.selectable > 0;
            return (
              <li key={type.slug}>
                <article className={`card ticket${open ? "" : " ticket--unavailable"}`} aria-labelledby={`type-${type.slug}`}>
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
                    {open ? (
                      <span className="field qty">
                        <label htmlFor={`qty-${type.slug}`}>Quantity</label>
                        <select
                          id={`qty-${type.slug}`}
                          name={`quantities.${type.slug}`}
                          defaultValue={String(Math.min(chosen[type.slug] ?? 0, type.selectable))}
                          aria-invalid={problem?.field === `quantities.${type.slug}` ? true : undefined}
                          aria-describedby={problem?.field === `quantities.${type.slug}` ? "selection-problem" : undefined}
                        >
                          {Array.from({ length: type.selectable + 1 }, (_, n) => (
                            <option key={n} value={n}>
                              {n}
                            </option>
                          ))}
                        </select>
                      </span>
                    ) : type.state === "sold-out" ? (
                      <Link to={`/tickets/waitlist?type=${type.slug}`} className="button button--small button--ghost">
                        Join the waitlist
                      </Link>
                    ) : null}
                  </div>
                </article>
              </li>
            );
          })}
        </ul>
        <div className="checkout-bar">
          <div className="field">
            <label htmlFor="code">Discount code (optional)</label>
            <div className="qty">
              <input
                id="code"
                name="code"
                defaultValue={codeInput}
                autoComplete="off"
                maxLength={40}
                aria-invalid={codeMessage ? true : undefined}
                aria-describedby={codeMessage ? "code-error" : code ? "code-ok" : undefined}
              />
              <button type="submit" formAction="/tickets" className="button button--ghost button--small">
                Apply
              </button>
            </div>
            {codeMessage ? (
              <p className="field-error" id="code-error">
                {codeMessage}
              </p>
            ) : code ? (
              <p className="hint" id="code-ok">
                Code {code.code} applied. {code.summary}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button button--accent" disabled={!buyable}>
            Continue to attendee details
          </button>
        </div>
      </Form>
      <RefundPolicy text={refundPolicy} className="prose small" />
    </div>
  );
}
