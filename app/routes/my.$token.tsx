import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { TextField } from "~/components/field";
import { DomainError } from "~/domain/errors";
import { sessionKindLabel, ticketStatusLabel } from "~/domain/labels";
import {
  pickableSessions,
  setAgendaPicks,
  setSponsorSharing,
  ticketPermissions,
  updateAttendeeDetails,
} from "~/domain/tickets.server";
import { dayKey, formatDateSpan, formatDayKey, formatTimeRange, zoneAbbreviation } from "~/domain/time";
import { clock } from "~/services/clock.server";
import { privateHeaders } from "~/services/http-cache.server";
import { qrCodeSvgDataUrl } from "~/services/qr-code.server";
import { requireTicket, ticketNotFound } from "~/services/ticket-link.server";
import { attendeeDetailsSchema } from "~/validation/attendee";
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
} as const;
type Saved = keyof typeof savedMessages;
type Section = (typeof savedMessages)[Saved]["section"];
const isSaved = (value: string | null): value is Saved => value !== null && value in savedMessages;

export async function loader({ params, request }: LoaderFunctionArgs) {
  const ticket = await requireTicket(params.token);
  const event = ticket.order.event;
  const [qr, days] = await Promise.all([
    ticket.status === "VALID" ? qrCodeSvgDataUrl(ticket.qrCode) : null,
    pickableSessions(event.id, event.timeZone),
  ]);
  const picked = new Set(ticket.agendaPicks.map((p) => p.sessionId));
  const saved = new URL(request.url).searchParams.get("saved");
  const first = days[0]?.sessions[0];
  return {
    token: params.token!,
    saved: isSaved(saved) ? savedMessages[saved] : null,
    qr,
    ticket: {
      name: ticket.name,
      status: ticket.status,
      statusLabel: ticket.checkedInAt ? "Checked in" : ticketStatusLabel[ticket.status],
      type: ticket.ticketType.name,
      reference: ticket.order.reference,
      shortCode: ticket.shortCode,
      company: ticket.company,
      shareWithSponsors: ticket.shareWithSponsors,
      consentSince: ticket.consentAt ? formatDayKey(dayKey(ticket.consentAt, event.timeZone)) : null,
      details: {
        name: ticket.name,
        email: ticket.email,
        company: ticket.company,
        jobTitle: ticket.jobTitle,
        country: ticket.country,
        dietaryNeeds: ticket.dietaryNeeds,
        accessNeeds: ticket.accessNeeds,
      },
      // Remounts the details form after a save, so it shows what was stored (trimmed, lowercased).
      version: ticket.updatedAt.toISOString(),
    },
    event: {
      name: event.name,
      shortName: event.shortName,
      dates: formatDateSpan(event.startsOn.toISOString().slice(0, 10), event.endsOn.toISOString().slice(0, 10)),
      venue: `${event.venueName}, ${event.venueAddress}`,
      organiser: event.organiser,
      zoneNote: first ? `${event.city} time (${zoneAbbreviation(first.startsAt, event.timeZone)})` : null,
    },
    can: ticketPermissions(ticket, clock.now()),
    agenda: days.map(({ day, sessions }) => ({
      day,
      label: formatDayKey(day),
      short: formatDayKey(day, "short"),
      sessions: sessions.map((s) => ({
        id: s.id,
        slug: s.slug,
        title: s.title,
        kind: sessionKindLabel[s.kind],
        time: formatTimeRange(s.startsAt, s.endsAt, event.timeZone),
        room: s.room?.name ?? null,
        picked: picked.has(s.id),
      })),
    })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Your ticket, ${data.ticket.name} · ${data.event.shortName}` : "Your ticket · RE3M 2025" },
  { name: "robots", content: "noindex" },
];

type ActionResult =
  | { intent: "details"; result: SubmissionResult<string[]> }
  | { intent: "sharing" | "agenda"; error: string };

export async function action({ params, request }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const formData = await request.formData();
  const intent = formData.get("intent");
  const now = clock.now();
  const saved = (what: Saved) =>
    redirect(`/my/${token}?saved=${what}#${savedMessages[what].section}`, { status: 303, headers: privateHeaders });
  const refused = (intent: "sharing" | "agenda", error: string, status: number) =>
    data<ActionResult>({ intent, error }, { status, headers: privateHeaders });
  try {
    if (intent === "details") {
      const submission = parseWithZod(formData, { schema: attendeeDetailsSchema });
      if (submission.status !== "success") {
        return data<ActionResult>({ intent, result: submission.reply() }, { status: 400, headers: privateHeaders });
      }
      try {
        const { changed } = await updateAttendeeDetails(token, submission.value, now);
        return saved(changed.includes("email") ? "email" : "details");
      } catch (error) {
        if (!(error instanceof DomainError) || error.rule === "ticket.not-found") throw error;
        return data<ActionResult>({ intent, result: submission.reply({ formErrors: [error.message] }) }, { status: 409, headers: privateHeaders });
      }
    }
    if (intent === "sharing") {
      const parsed = sponsorSharingSchema.safeParse({ shareWithSponsors: formData.get("shareWithSponsors") });
      if (!parsed.success) return refused(intent, parsed.error.issues[0]!.message, 400);
      await setSponsorSharing(token, parsed.data.shareWithSponsors, now);
      return saved(parsed.data.shareWithSponsors ? "sharing-on" : "sharing-off");
    }
    if (intent === "agenda") {
      const parsed = agendaPicksSchema.safeParse({ sessions: formData.getAll("sessions") });
      if (!parsed.success) return refused(intent, parsed.error.issues[0]!.message, 400);
      await setAgendaPicks(token, parsed.data.sessions, now);
      return saved("agenda");
    }
  } catch (error) {
    if (error instanceof DomainError && error.rule === "ticket.not-found") throw ticketNotFound();
    if (error instanceof DomainError && (intent === "sharing" || intent === "agenda")) return refused(intent, error.message, 409);
    throw error;
  }
  throw data({ message: "That form is not one of this page's. Please reload the page and try again." }, { status: 400, headers: privateHeaders });
}

export default function TicketPage() {
  const { ticket, event, qr, can, saved, agenda, token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const picks = agenda.flatMap((d) => d.sessions.filter((s) => s.picked).map((s) => ({ ...s, day: d.short })));
  const savedIn = (section: Section) =>
    saved?.section === section ? (
      <div className="alert alert--ok" role="status">
        <p>{saved.message}</p>
      </div>
    ) : null;
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
          <section aria-labelledby="details-title" className="panel-section" id="details">
            <h2 id="details-title">Your details</h2>
            {savedIn("details")}
            {can.details ? (
              <>
                <p className="alert alert--info">{can.details}</p>
                <ReadOnlyDetails details={ticket.details} />
              </>
            ) : (
              <DetailsForm key={ticket.version} details={ticket.details} openUntil={can.openUntil} lastResult={actionData?.intent === "details" ? actionData.result : undefined} />
            )}
          </section>

          <SharingSection
            saved={savedIn("sharing")}
            on={ticket.shareWithSponsors}
            since={ticket.consentSince}
            refusal={can.sharingOn}
            error={actionData?.intent === "sharing" ? actionData.error : null}
          />

          <section aria-labelledby="agenda-title" className="panel-section" id="agenda">
            <h2 id="agenda-title">Your agenda</h2>
            {savedIn("agenda")}
            {picks.length > 0 ? (
              <>
                <p>
                  Sessions you plan to attend{event.zoneNote ? `, in ${event.zoneNote}` : ""}. Add each to your calendar, or
                  all of them at once with <a href={`/my/${token}/agenda.ics`}>your agenda as a calendar file</a>.
                </p>
                <ul className="pick-list">
                  {picks.map((s) => (
                    <li key={s.id}>
                      <span className="pick-list__when">
                        {s.day}, {s.time}
                      </span>
                      <Link to={`/sessions/${s.slug}`}>{s.title}</Link>
                      <a className="small" href={`/sessions/${s.slug}.ics`}>
                        Add to calendar<span className="visually-hidden"> – {s.title}</span>
                      </a>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p>Pick the sessions you plan to attend: they appear here, each with a link to add it to your calendar.</p>
            )}
            {can.agenda ? (
              <p className="alert alert--info">{can.agenda}</p>
            ) : (
              <AgendaPicker agenda={agenda} zoneNote={event.zoneNote} error={actionData?.intent === "agenda" ? actionData.error : null} />
            )}
          </section>

          <section aria-labelledby="transfer-title" className="panel-section">
            <h2 id="transfer-title">Transfer this ticket</h2>
            {can.transfer ? (
              <p className="alert alert--info">{can.transfer}</p>
            ) : (
              <>
                <p>
                  Can't come? Give the ticket to a colleague. They get it by email with a new QR code, and this link stops
                  working.
                  {can.openUntil ? ` Transfers are possible until ${can.openUntil}.` : ""}
                </p>
                <Link className="button button--ghost" to={`/my/${token}/transfer`}>
                  Transfer this ticket
                </Link>
              </>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function TicketCard({ ticket, qr, token }: { ticket: LoaderData["ticket"]; qr: string | null; token: string }) {
  return (
    <>
      <p className="eyebrow">{ticket.type}</p>
      {qr ? (
        <>
          <img className="my-ticket__qr" src={qr} width={240} height={240} alt={`QR code of ${ticket.name}'s ticket, for the entrance`} />
          <p className="my-ticket__code">
            <span className="small muted">Badge code</span>
            <span className="mono">{ticket.shortCode}</span>
          </p>
          <p className="small muted">Show the QR code at the entrance, on your phone or printed. Sponsors can type the badge code.</p>
        </>
      ) : (
        <p>This ticket no longer admits anyone.</p>
      )}
      <p className="my-ticket__status">
        <span className={`badge ${ticket.status === "VALID" ? "badge--ok" : "badge--danger"}`}>{ticket.statusLabel}</span>
        <span className="small muted">Order {ticket.reference}</span>
      </p>
      {qr ? (
        <div className="my-ticket__actions">
          <Link className="button button--small" to={`/my/${token}/print`}>
            Print or save as PDF
          </Link>
          <a className="button button--small button--ghost" href={`/my/${token}/event.ics`}>
            Add the event to my calendar
          </a>
        </div>
      ) : null}
      <p className="small muted">
        The whole programme is also available as <a href="/agenda.ics">one calendar file</a>.
      </p>
    </>
  );
}

function DetailsForm({
  details,
  openUntil,
  lastResult,
}: {
  details: LoaderData["ticket"]["details"];
  openUntil: string | null;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "details-form",
    lastResult,
    constraint: getZodConstraint(attendeeDetailsSchema),
    defaultValue: details,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: attendeeDetailsSchema }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "details";
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="details" />
      <p>
        Correct anything that is wrong: your badge is printed from these.{openUntil ? ` You can change them until ${openUntil}.` : ""}
      </p>
      {form.errors ? (
        <div className="alert alert--error" role="alert" id={form.errorId}>
          {form.errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      ) : null}
      <div className="form-grid">
        <TextField field={fields.name} label="Full name" hint="As it should appear on the badge." autoComplete="name" />
        <TextField
          field={fields.email}
          label="Email"
          type="email"
          autoComplete="email"
          hint="Fix a typo here. To give the ticket to someone else, transfer it instead."
        />
        <TextField field={fields.company} label="Company" autoComplete="organization" />
        <TextField field={fields.jobTitle} label="Job title" autoComplete="organization-title" />
        <TextField field={fields.country} label="Country" autoComplete="country-name" />
        <TextField field={fields.dietaryNeeds} label="Dietary needs" />
        <TextField field={fields.accessNeeds} label="Access needs" hint="Anything that helps you take part fully." />
      </div>
      <p className="form-actions">
        <button type="submit" className="button" disabled={busy}>
          Save my details
        </button>
      </p>
    </Form>
  );
}

const detailLabels: [keyof LoaderData["ticket"]["details"], string][] = [
  ["name", "Full name"],
  ["email", "Email"],
  ["company", "Company"],
  ["jobTitle", "Job title"],
  ["country", "Country"],
  ["dietaryNeeds", "Dietary needs"],
  ["accessNeeds", "Access needs"],
];

function ReadOnlyDetails({ details }: { details: LoaderData["ticket"]["details"] }) {
  return (
    <dl className="facts">
      {detailLabels.map(([key, label]) => (
        <div key={key}>
          <dt>{label}</dt>
          <dd>{details[key] || "—"}</dd>
        </div>
      ))}
    </dl>
  );
}

function SharingSection({
  saved,
  on,
  since,
  refusal,
  error,
}: {
  saved: ReactNode;
  on: boolean;
  since: string | null;
  refusal: string | null;
  error: string | null;
}) {
  return (
    <section aria-labelledby="sharing-title" className="panel-section" id="sharing">
      <h2 id="sharing-title">Sharing with sponsors</h2>
      {saved}
      <p>
        <span className={`badge ${on ? "badge--ok" : ""}`}>{on ? "Sharing is on" : "Sharing is off"}</span>
        {on && since ? <span className="small muted"> since {since}</span> : null}
      </p>
      <p>
        {on
          ? "Sponsors receive your email, job title and country when they scan your badge at their booth, and sponsors whose package includes the attendee list receive them from that list. If you turn this off, your contact details are left out of every lead list exported from then on; a list a sponsor already downloaded cannot be recalled."
          : "A sponsor who scans your badge at their booth gets your name and company only. Turn sharing on to also give sponsors your email, job title and country."}
      </p>
      {error ? (
        <div className="alert alert--error" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      {!on && refusal ? null : (
        <Form method="post">
          <input type="hidden" name="intent" value="sharing" />
          <input type="hidden" name="shareWithSponsors" value={on ? "off" : "on"} />
          <button type="submit" className={`button ${on ? "button--ghost" : ""}`}>
            {on ? "Stop sharing my contact details" : "Share my contact details with sponsors"}
          </button>
        </Form>
      )}
    </section>
  );
}

function AgendaPicker({ agenda, zoneNote, error }: { agenda: LoaderData["agenda"]; zoneNote: string | null; error: string | null }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "agenda";
  const count = agenda.reduce((n, d) => n + d.sessions.length, 0);
  return (
    <details className="picker" open={error !== null}>
      <summary>Choose sessions ({count} on the agenda)</summary>
      <Form method="post">
        <input type="hidden" name="intent" value="agenda" />
        {zoneNote ? <p className="small muted">All times are {zoneNote}.</p> : null}
        {error ? (
          <div className="alert alert--error" role="alert">
            <p>{error}</p>
          </div>
        ) : null}
        {agenda.map((day) => (
          <fieldset key={day.day} className="picker__day">
            <legend>{day.label}</legend>
            <ul>
              {day.sessions.map((s) => (
                <li key={s.id} className="check">
                  <input type="checkbox" name="sessions" value={s.id} id={`pick-${s.id}`} defaultChecked={s.picked} />
                  <label htmlFor={`pick-${s.id}`}>
                    <span className="picker__time">{s.time}</span> {s.title}
                    <span className="small muted">
                      {" "}
                      · {s.kind}
                      {s.room ? ` · ${s.room}` : ""}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        ))}
        <p className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            Save my agenda
          </button>
        </p>
      </Form>
    </details>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
