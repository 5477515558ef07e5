import { Link } from "@remix-run/react";

export function TransferSection({ token, locked, openUntil }: { token: string; locked: string | null; openUntil: string | null }) {
  return (
    <section aria-labelledby="transfer-title" className="panel-section" id="transfer">
      <h2 id="transfer-title">Transfer this ticket</h2>
      {locked ? (
        <p className="alert alert--info">{locked}</p>
      ) : (
        <>
          <p>
            Can't come? Give the ticket to a colleague. They get it by email with a new QR code, and this link stops working.
            {openUntil ? ` Transfers are possible until ${openUntil}.` : ""}
          </p>
          <Link className="button button--ghost" to={`/my/${token}/transfer`}>
            Transfer this ticket
          </Link>
        </>
      )}
    </section>
  );
}
