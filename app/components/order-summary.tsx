import { formatMoney, formatRate } from "~/domain/money";

type Line = { name: string; quantity: number; unitCents: number; lineCents: number };

/** Subtotal, discount, tax and total, to the cent, as the buyer will be charged. */
export function OrderSummary({
  lines,
  subtotalCents,
  discountCents,
  taxCents,
  totalCents,
  currency,
  taxName,
  taxRateBps,
  code,
  caption = "Order summary",
}: {
  lines: Line[];
  subtotalCents: number;
  discountCents: number;
  taxCents: number;
  totalCents: number;
  currency: string;
  taxName: string;
  taxRateBps: number;
  code?: string | null;
  caption?: string;
}) {
  const money = (cents: number) => formatMoney(cents, currency);
  return (
    <table className="summary">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col" className="num">
            Amount ({currency})
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.name}>
            <th scope="row">
              {line.quantity} × {line.name} <span className="muted small">at {money(line.unitCents)}</span>
            </th>
            <td className="num">{money(line.lineCents)}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">Subtotal</th>
          <td className="num">{money(subtotalCents)}</td>
        </tr>
        {discountCents > 0 ? (
          <tr>
            <th scope="row">Discount{code ? ` (${code})` : ""}</th>
            <td className="num">−{money(discountCents)}</td>
          </tr>
        ) : null}
        <tr>
          <th scope="row">
            {taxName} {formatRate(taxRateBps)}
          </th>
          <td className="num">{money(taxCents)}</td>
        </tr>
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td className="num">{money(totalCents)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
