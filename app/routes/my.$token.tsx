// The attendee's own ticket page (/my/:token): the ticket, their details, sponsor sharing, their
// agenda and the way to transfer. Each section is a component in app/components/my-ticket/.
import { type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type * as z from "~/validation/zod";
import { AgendaSection, type AgendaDay } from "~/components/my-ticket/agenda-section";
import { DataSection } from "~/components/my-ticket/data-section";
import { DetailsSection } from "~/components/my-ticket/details-section";
import { SharingSection } from "~/components/my-ticket/sharing-section";
import { TicketCard } from "~/components/my-ticket/ticket-card";
import { TransferSection } from "~/components/my-ticket/transfer-section";
import { DomainError } from "~/domain/errors";
import { sessionKindLabel, ticketStatusLabel } from "~/domain/labels";
import {
  pickableSessions,
  setAgendaPicks,
  setSponsorSharing,
  ticketPermissions,
  updateAttendeeDetails,
} from "~/domain/tickets.server";
import { requestFromTicket, waitingRequests } from "~/domain/privacy.server";
import { dayKey, formatDateSpan, formatDayKey, formatTimeRange, zoneAbbreviation } from "~/domain/time";
import { clock } from "~/services/clock.server";
import { privateHeaders } from "~/services/http-cache.server";
import { qrCodeSvgDataUrl } from "~/services/qr-code.server";
import { requireTicket, ticketNotFound } from "~/route-helpers/ticket-link.server";
import { ATTENDEE_DETAIL_FIELDS, attendeeDetailsSchema, type AttendeeDetails } from "~/validation/attendee";
import { attendeePrivacySchema } from "~/validation/privacy";
import { agendaPicksSchema, sponsorSharingSchema } from "~/validation/ticket";

export const headers: HeadersFunction = () => privateHeaders;

// After a change the page reloads with `?saved=` (so a refresh does not post again), scrolled to
// the section that changed, which shows the message.
const savedMessages = {
  details: { section: "details", message: "Your details are saved." },
  email: { section: "details", message: "Your details are saved, and your ticket is on its way to the new email address." },
  "sharing-on": { section: "sharing", message: "Sharing is on: sponsors may now receive your contact details with their lead lists." },
  "sharing-off": {
    section: "sharing",
    message: "Sharing is off. Your email, job title and country are left out of every sponsor lead export from now on.",
  },
  agenda: { section: "agenda", message: "Your agenda is saved." },
  "privacy-export": { section: "privacy", message: "Your request for a copy of your data is with the organisers. They answer within 30 days." },
  "privacy-erasure": { section: "privacy", message: "Your request to erase your data is with the organisers. They answer within 30 days." },
  "privacy-again": { section: "privacy", message: "You had already asked for this: your request is still with the organisers." },
} as const;
type Saved = keyof typeof savedMessages;
type Section = (typeof savedMessages)[Saved]["section"];
const isSaved = (value: string | null): value is Saved => value !== null && value in savedMessages;

export async function loader({ params, request }: LoaderFunctionArgs) {
  const ticket = await requireTicket(params.token);
  const event = ticket.order.event;
  const [qr, days, waiting] = await Promise.all([
    ticket.status === "VALID" ? qrCodeSvgDataUrl(ticket.qrCode) : null,
    pickableSessions(event.id, event.timeZone),
    waitingRequests(event.id, ticket.email),
  ]);
  const askedOn = (date: Date | undefined) => (date ? formatDayKey(dayKey(date, event.timeZone)) : null);
  const saved = new URL(request.url).searchParams.get("saved");
  const first = days[0]?.sessions[0];
  return {
    token: params.token!,
    saved: isSaved(saved) ? savedMessages[saved] : null,
    qr,
    ticket: ticketView(ticket),
    event: {
      name: event.name,
      shortName: event.shortName,
      dates: formatDateSpan(event.startsOn.toISOString().slice(0, 10), event.endsOn.toISOString().slice(0, 10)),
      venue: `${event.venueName}, ${event.venueAddress}`,
      zoneNote: first ? `${event.city} time (${zoneAbbreviation(first.startsAt, event.timeZone)})` : null,
    },
    can: ticketPermissions(ticket, clock.now()),
    agenda: agendaView(days, new Set(ticket.agendaPicks.map((p) => p.sessionId)), event.timeZone),
    privacy: { EXPORT: askedOn(waiting.EXPORT), ERASURE: askedOn(waiting.ERASURE) },
  };
}

type ManagedTicket = Awaited<ReturnType<typeof requireTicket>>;

function ticketView(ticket: ManagedTicket) {
  const { timeZone } = ticket.order.event;
  return {
    name: ticket.name,
    status: ticket.status,
    statusLabel: ticket.checkedInAt ? "Checked in" : ticketStatusLabel[ticket.status],
    type: ticket.ticketType.name,
    reference: ticket.order.reference,
    shortCode: ticket.shortCode,
    toBeNamed: ticket.toBeNamed,
    erased: ticket.erasedAt !== null,
    shareWithSponsors: ticket.shareWithSponsors,
    consentSince: ticket.consentAt ? formatDayKey(dayKey(ticket.consentAt, timeZone)) : null,
    details: Object.fromEntries(ATTENDEE_DETAIL_FIELDS.map((field) => [field, ticket[field]])) as AttendeeDetails,
    // Remounts the details form after a save, so it shows what was stored (trimmed, lowercased).
    version: ticket.updatedAt.toISOString(),
  };
}

function agendaView(days: Awaited<ReturnType<typeof pickableSessions>>, picked: Set<string>, timeZone: string): AgendaDay[] {
  return days.map(({ day, sessions }) => ({
    day,
    label: formatDayKey(day),
    short: formatDayKey(day, "short"),
    sessions: sessions.map((s) => ({
      id: s.id,
      slug: s.slug,
      title: s.title,
      kind: sessionKindLabel[s.kind],
      time: formatTimeRange(s.startsAt, s.endsAt, timeZone),
      room: s.room?.name ?? null,
      picked: picked.has(s.id),
    })),
  }));
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Your ticket, ${data.ticket.name} · ${data.event.shortName}` : "Your ticket · RE3M 2025" },
  { name: "robots", content: "noindex" },
];

type Intent = "details" | "sharing" | "agenda" | "privacy";
/** Every refused change, whichever form sent it: the form's errors, for that form to show. */
type Refusal = { intent: Intent; result: SubmissionResult<string[]> };

export async function action({ params, request }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const formData = await request.formData();
  const now = clock.now();
  switch (formData.get("intent")) {
    case "details":
      return change(token, formData, "details", attendeeDetailsSchema, async (details) => {
        const { changed } = await updateAttendeeDetails(token, details, now);
        return changed.includes("email") ? "email" : "details";
      });
    case "sharing":
      return change(token, formData, "sharing", sponsorSharingSchema, async ({ shareWithSponsors }) => {
        await setSponsorSharing(token, shareWithSponsors, now);
        return shareWithSponsors ? "sharing-on" : "sharing-off";
      });
    case "agenda":
      return change(token, formData, "agenda", agendaPicksSchema, async ({ sessions }) => {
        await setAgendaPicks(token, sessions, now);
        return "agenda";
      });
    case "privacy":
      return change(token, formData, "privacy", attendeePrivacySchema, async ({ kind }) => {
        const { created } = await requestFromTicket(token, kind, now);
        if (!created) return "privacy-again";
        return kind === "EXPORT" ? "privacy-export" : "privacy-erasure";
      });
  }
  throw data({ message: "That form is not one of this page's. Please reload the page and try again." }, { status: 400, headers: privateHeaders });
}

/** Parses one form, makes its change and reloads the page on the section changed; or says why not. */
async function change<Schema extends z.core.$ZodType>(
  token: string,
  formData: FormData,
  intent: Intent,
  schema: Schema,
  apply: (value: z.output<Schema>) => Promise<Saved>,
) {
  const submission = parseWithZod(formData, { schema });
  const refused = (result: SubmissionResult<string[]>, status: number) => data<Refusal>({ intent, result }, { status, headers: privateHeaders });
  if (submission.status !== "success") return refused(submission.reply(), 400);
  try {
    const saved = await apply(submission.value);
    return redirect(`/my/${token}?saved=${saved}#${savedMessages[saved].section}`, { status: 303, headers: privateHeaders });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.rule === "ticket.not-found") throw ticketNotFound();
    return refused(submission.reply({ formErrors: [error.message] }), 409);
  }
}

export default function TicketPage() {
  const { ticket, event, qr, can, saved, agenda, token, privacy } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>();
  const savedIn = (section: Section) => (saved?.section === section ? saved.message : null);
  const resultOf = (intent: Intent) => (refusal?.intent === intent ? refusal.result : undefined);
  const errorOf = (intent: Intent) => Object.values(resultOf(intent)?.error ?? {}).flatMap((e) => e ?? [])[0] ?? null;
  return (
    <div className="container">
      <header className="page-head">
        <p className="eyebrow">Your ticket · {event.name}</p>
        <h1>{ticket.name}</h1>
        <p className="lead">
          {ticket.type} · {event.dates} · {event.venue}
        </p>
      </header>
      <div className="my-ticket">
        <aside className="my-ticket__card" aria-label="Ticket">
          <TicketCard ticket={ticket} qr={qr} token={token} />
        </aside>
        <div className="my-ticket__main stack">
          {ticket.toBeNamed && ticket.status === "VALID" ? (
            <section className="alert alert--info" role="status" aria-labelledby="unnamed-title">
              <h2 id="unnamed-title">Who is coming on this ticket?</h2>
              <p>
                This ticket was bought to be named later. To give it to a colleague, enter their name and email under <a href="#transfer">Transfer
                this ticket</a>: they receive the ticket and its QR code, and this link stops working. If you are coming yourself, enter your name
                under <a href="#details">Your details</a>.
              </p>
            </section>
          ) : null}
          <DetailsSection
            details={ticket.details}
            version={ticket.version}
            locked={can.details}
            openUntil={can.openUntil}
            saved={savedIn("details")}
            lastResult={resultOf("details")}
          />
          <SharingSection
            on={ticket.shareWithSponsors}
            since={ticket.consentSince}
            refusal={can.sharingOn}
            saved={savedIn("sharing")}
            error={errorOf("sharing")}
          />
          <AgendaSection agenda={agenda} zoneNote={event.zoneNote} token={token} locked={can.agenda} saved={savedIn("agenda")} error={errorOf("agenda")} />
          <TransferSection token={token} locked={can.transfer} openUntil={can.openUntil} />
          <DataSection waiting={privacy} erased={ticket.erased} saved={savedIn("privacy")} error={errorOf("privacy")} />
        </div>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
