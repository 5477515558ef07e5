// The one place that computes money. Amounts are integer minor units (cents).

/** Tax on an amount, rounded half up to the cent. `rateBps` is basis points: 1300 = 13%. */
export function taxOn(amountCents: number, rateBps: number): number {
  if (!Number.isSafeInteger(amountCents) || amountCents < 0) throw new RangeError(`invalid amount ${amountCents}`);
  return Math.floor((amountCents * rateBps + 5000) / 10000);
}

const formats = new Map<string, Intl.NumberFormat>();

/** "$1,495.00" (CAD shown as "$" with the code beside it where it matters). */
export function formatMoney(cents: number, currency: string): string {
  let f = formats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat("en-CA", { style: "currency", currency, currencyDisplay: "narrowSymbol" });
    formats.set(currency, f);
  }
  return f.format(cents / 100);
}

export function formatRate(rateBps: number): string {
  return `${(rateBps / 100).toLocaleString("en-CA", { maximumFractionDigits: 2 })}%`;
}

/** "1495.00": a plain decimal amount for spreadsheets (CSV exports), no symbol or separators. */
export function formatAmount(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
