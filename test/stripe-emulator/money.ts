// Amounts are integers in the currency's minor unit, as in Stripe's API. Formatting follows
// Canadian English, so CAD reads `$1,689.35`.

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string): Intl.NumberFormat {
  const key = currency.toUpperCase();
  let format = formatters.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat("en-CA", { style: "currency", currency: key });
    } catch {
      // An ISO-shaped code Intl does not know: show it with two decimals.
      format = new Intl.NumberFormat("en-CA", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    formatters.set(key, format);
  }
  return format;
}

/** Decimal places of the currency's minor unit: 2 for CAD, 0 for JPY. */
export function minorUnitDigits(currency: string): number {
  return formatter(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatAmount(minor: number, currency: string): string {
  return formatter(currency).format(minor / 10 ** minorUnitDigits(currency));
}
