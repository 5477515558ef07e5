import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { formatDateSpan } from "~/domain/time";
import { privateHeaders } from "~/services/http-cache.server";
import { qrCodeSvgDataUrl } from "~/services/qr-code.server";
import { requireTicket } from "~/route-helpers/ticket-link.server";

export const headers: HeadersFunction = () => privateHeaders;

// A badge-sized sheet for printing or the browser's "Save as PDF": the PDF needs no library.
export async function loader({ params }: LoaderFunctionArgs) {
  const ticket = await requireTicket(params.token);
  const event = ticket.order.event;
  return {
    token: params.token!,
    // A refunded or cancelled ticket admits nobody: there is nothing to print.
    qr: ticket.status === "VALID" ? await qrCodeSvgDataUrl(ticket.qrCode) : null,
    name: ticket.name,
    company: ticket.company,
    jobTitle: ticket.jobTitle,
    type: ticket.ticketType.name,
    shortCode: ticket.shortCode,
    reference: ticket.order.reference,
    event: {
      shortName: event.shortName,
      dates: formatDateSpan(event.startsOn.toISOString().slice(0, 10), event.endsOn.toISOString().slice(0, 10)),
      venue: `${event.venueName}, ${event.city}`,
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Ticket of ${data.name} · ${data.event.shortName}` : "Your ticket · RE3M 2025" },
  { name: "robots", content: "noindex" },
];

export default function PrintTicket() {
  const t = useLoaderData<typeof loader>();
  // The print button needs JavaScript; without it the instructions below say what to do.
  const [canPrint, setCanPrint] = useState(false);
  useEffect(() => setCanPrint(true), []);
  if (!t.qr) {
    return (
      <div className="container container--narrow">
        <header className="page-head">
          <h1>Nothing to print</h1>
          <p className="lead">This ticket no longer admits anyone, so it has no QR code to print.</p>
        </header>
        <Link className="button" to={`/my/${t.token}`}>
          Back to your ticket
        </Link>
      </div>
    );
  }
  return (
    <div className="container container--narrow print-page">
      <header className="page-head print-hide">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to={`/my/${t.token}`}>← Back to your ticket</Link>
        </nav>
        <h1>Print your ticket</h1>
        <p className="lead">
          Print this page, or choose “Save as PDF” as the printer to keep a PDF. The QR code admits you at the entrance.
        </p>
        <p className="button-row print-actions">
          {canPrint ? (
            <button type="button" className="button" onClick={() => window.print()}>
              Print or save as PDF
            </button>
          ) : null}
          <span className="small muted">Or use your browser's Print command (Ctrl+P, or ⌘P on a Mac).</span>
        </p>
      </header>
      <article className="badge-sheet" aria-label={`Ticket of ${t.name}`}>
        <div className="badge-sheet__band">
          <strong>{t.event.shortName}</strong>
          <span>
            {t.event.dates} · {t.event.venue}
          </span>
        </div>
        <div className="badge-sheet__body">
          <p className="badge-sheet__name">{t.name}</p>
          {t.jobTitle ? <p className="badge-sheet__role">{t.jobTitle}</p> : null}
          {t.company ? <p className="badge-sheet__company">{t.company}</p> : null}
          <img className="badge-sheet__qr" src={t.qr} width={200} height={200} alt={`QR code of ${t.name}'s ticket`} />
          <p className="badge-sheet__code">
            Badge code <span className="mono">{t.shortCode}</span>
          </p>
        </div>
        <div className="badge-sheet__foot">
          <span>{t.type}</span>
          <span>Order {t.reference}</span>
        </div>
      </article>
      <p className="small muted print-hide">
        Keep this page to yourself: anyone with this QR code can enter with your ticket.
      </p>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
