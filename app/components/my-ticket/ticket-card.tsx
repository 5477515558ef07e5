import { Link } from "@remix-run/react";

export type TicketCardProps = {
  ticket: { name: string; type: string; status: string; statusLabel: string; shortCode: string; reference: string };
  /** The QR code as a data URL, or null when the ticket no longer admits anyone. */
  qr: string | null;
  token: string;
};

/** The ticket itself: QR code, badge code, status and what to do with it. */
export function TicketCard({ ticket, qr, token }: TicketCardProps) {
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
