// An order's or attendee's history: every audited change (who, what, before → after) and every
// email queued about it, oldest first.
type Event = { id: string; action: string; subject: string; before: unknown; after: unknown; createdAt: string | Date; actor: { email: string; name: string } | null };
type Email = { id: string; template: string; toAddress: string; subject: string; status: string; createdAt: string | Date; sentAt: string | Date | null };

const utc = (at: string | Date) => new Date(at).toISOString().slice(0, 19).replace("T", " ");

export function History({ events, emails }: { events: Event[]; emails: Email[] }) {
  return (
    <>
      <section aria-labelledby="history-title" className="stack">
        <h2 id="history-title">History</h2>
        <div className="table-scroll" role="region" aria-label="History, oldest first" tabIndex={0}>
          <table className="data-table data-table--wide">
            <caption className="visually-hidden">History, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{utc(e.createdAt)}</td>
                  <td>{e.actor?.email ?? "system"}</td>
                  <td>
                    <code>{e.action}</code>
                    {e.subject.startsWith("ticket:") ? <span className="small muted"> (ticket)</span> : null}
                  </td>
                  <td className="small">
                    {e.before ? <code>{JSON.stringify(e.before)}</code> : null}
                    {e.before && e.after ? " → " : null}
                    {e.after ? <code>{JSON.stringify(e.after)}</code> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="emails-title" className="stack">
        <h2 id="emails-title">Emails</h2>
        {emails.length === 0 ? <p className="muted">No emails yet.</p> : null}
        {emails.length > 0 ? (
          <div className="table-scroll" role="region" aria-label="Emails about this" tabIndex={0}>
            <table className="data-table data-table--wide">
              <caption className="visually-hidden">Emails about this</caption>
              <thead>
                <tr>
                  <th scope="col">Queued (UTC)</th>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {emails.map((m) => (
                  <tr key={m.id}>
                    <td>{utc(m.createdAt)}</td>
                    <td>{m.toAddress}</td>
                    <td>{m.subject}</td>
                    <td>
                      {m.status.toLowerCase()}
                      {m.sentAt ? <span className="small muted"> {utc(m.sentAt)}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </>
  );
}
