// Prices an order: the one place where subtotal, discount, tax and total are computed. Shared by
// the checkout page (live summary), the server (what is charged), Stripe's line items, emails and
// exports, so the same numbers appear everywhere.
import { taxOn } from "./money";

export type PriceLine = { ticketTypeId: string; name: string; unitCents: number; quantity: number };
export type Discount = { code: string; kind: "PERCENT" | "FIXED"; amount: number; ticketTypeIds: string[] };

export type PricedOrder = {
  lines: (PriceLine & { lineCents: number; discountCents: number })[];
  subtotalCents: number;
  discountCents: number;
  taxCents: number;
  totalCents: number;
  taxRateBps: number;
};

export function priceOrder(lines: PriceLine[], discount: Discount | null, taxRateBps: number): PricedOrder {
  const priced = lines.map((line) => ({ ...line, lineCents: line.unitCents * line.quantity, discountCents: 0 }));
  const subtotalCents = priced.reduce((sum, l) => sum + l.lineCents, 0);
  if (discount) {
    // An empty list means the code applies to every type.
    const eligible = priced.filter((l) => discount.ticketTypeIds.length === 0 || discount.ticketTypeIds.includes(l.ticketTypeId));
    const eligibleCents = eligible.reduce((sum, l) => sum + l.lineCents, 0);
    const total =
      discount.kind === "PERCENT"
        ? Math.floor((eligibleCents * Math.min(discount.amount, 10_000) + 5_000) / 10_000)
        : Math.min(discount.amount, eligibleCents);
    // Spread over eligible lines in proportion, the remainder on the last, so lines add up exactly.
    let left = total;
    eligible.forEach((line, i) => {
      const share = i === eligible.length - 1 ? left : Math.floor((total * line.lineCents) / Math.max(eligibleCents, 1));
      line.discountCents = share;
      left -= share;
    });
  }
  const discountCents = priced.reduce((sum, l) => sum + l.discountCents, 0);
  const taxCents = taxOn(subtotalCents - discountCents, taxRateBps);
  return { lines: priced, subtotalCents, discountCents, taxCents, totalCents: subtotalCents - discountCents + taxCents, taxRateBps };
}
