// A tax invoice or credit note as a web page: the same facts as its PDF (documents/invoice.tsx),
// laid out to read on a screen and to print.
import type { InvoiceView } from "~/domain/invoices.server";
import { formatMoney } from "~/domain/money";

export function InvoiceSheet({ doc, eventName, pdfHref }: { doc: InvoiceView; eventName: string; pdfHref: string }) {
  const credit = doc.credits !== null;
  return (
    <article className="card invoice" aria-labelledby="invoice-title">
      <header className="invoice__head">
        <div>
          <h1 id="invoice-title">{doc.title}</h1>
          <p className="muted">{eventName}</p>
        </div>
        <dl className="invoice__facts">
          <dt>Number</dt>
          <dd>{doc.number}</dd>
          <dt>Date</dt>
          <dd>{doc.issuedOn}</dd>
          <dt>Order</dt>
          <dd>{doc.orderReference}</dd>
          {doc.credits ? (
            <>
              <dt>Corrects</dt>
              <dd>
                invoice {doc.credits.number} of {doc.credits.issuedOn}
              </dd>
            </>
          ) : null}
        </dl>
      </header>
      <div className="invoice__parties">
        <section aria-labelledby="seller">
          <h2 id="seller" className="eyebrow">
            Sold by
          </h2>
          <p>
            <strong>{doc.seller.name}</strong>
            {doc.seller.address ? <span className="pre-line">{`\n${doc.seller.address}`}</span> : null}
            {doc.seller.taxNumber ? `\nGST/HST registration no. ${doc.seller.taxNumber}` : null}
          </p>
        </section>
        <section aria-labelledby="buyer">
          <h2 id="buyer" className="eyebrow">
            {credit ? "Credited to" : "Billed to"}
          </h2>
          <p className="pre-line">
            {doc.buyer.company ? <strong>{`${doc.buyer.company}\n`}</strong> : null}
            {[doc.buyer.name, doc.buyer.address, doc.buyer.country, doc.buyer.email].filter(Boolean).join("\n")}
            {doc.buyer.taxNumber ? `\nTax no. ${doc.buyer.taxNumber}` : null}
            {doc.buyer.purchaseOrder ? `\nPurchase order: ${doc.buyer.purchaseOrder}` : null}
          </p>
        </section>
      </div>
      <div className="table-scroll" role="region" aria-label={`Lines of ${doc.number}`} tabIndex={0}>
        <table className="data-table invoice__lines">
          <caption className="visually-hidden">Lines of {doc.number}</caption>
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col" className="num">
                Unit price
              </th>
              <th scope="col" className="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {doc.lines.map((l, i) => (
              <tr key={i}>
                <td>{l.description}</td>
                <td className="num">{l.quantity}</td>
                <td className="num">{l.unitPrice}</td>
                <td className="num">{l.amount}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Subtotal
              </th>
              <td className="num">{doc.subtotal}</td>
            </tr>
            {doc.discount ? (
              <tr>
                <th scope="row" colSpan={3}>
                  Discount
                </th>
                <td className="num">−{doc.discount}</td>
              </tr>
            ) : null}
            <tr>
              <th scope="row" colSpan={3}>
                {doc.taxLabel}
              </th>
              <td className="num">{doc.tax}</td>
            </tr>
            <tr className="invoice__total">
              <th scope="row" colSpan={3}>
                {credit ? `Total credited (${doc.currency})` : `Total (${doc.currency})`}
              </th>
              <td className="num">{doc.total}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="print-hide">
        <a className="button" href={pdfHref} download={`${doc.number}.pdf`}>
          Download PDF
        </a>
      </p>
    </article>
  );
}

type DocumentRow = { id: string; kind: "INVOICE" | "CREDIT_NOTE"; number: string; issuedAt: string | Date; totalCents: number; currency: string };

/** An order's invoices and credit notes, each linked to its page; `href` gives a document's link. */
export function InvoiceLinks({ docs, href, headingLevel = 2 }: { docs: DocumentRow[]; href: (doc: DocumentRow) => string; headingLevel?: 2 | 3 }) {
  if (docs.length === 0) return null;
  const Heading = `h${headingLevel}` as const;
  return (
    <section aria-labelledby="invoices-title">
      <Heading id="invoices-title">Invoices</Heading>
      <ul className="plain-list">
        {docs.map((d) => (
          <li key={d.id}>
            <a href={href(d)}>
              {d.kind === "INVOICE" ? "Tax invoice" : "Credit note"} {d.number}
            </a>{" "}
            <span className="small muted">
              {formatMoney(d.totalCents, d.currency)} · {new Date(d.issuedAt).toISOString().slice(0, 10)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
