// Every rule a person can break, with the message they see: one map, so wording stays consistent
// and tests can name the rule rather than the sentence.
export const messages = {
  "ticket-type.unknown": () => "That ticket type does not exist. Please choose from the list.",
  "ticket-type.not-on-sale": (name: string) => `${name} is not on sale right now.`,
  "ticket-type.sold-out": (name: string) => `${name} is sold out. You can join the waitlist instead.`,
  "ticket-type.not-enough": (name: string, left: number) =>
    left === 1 ? `Only 1 ${name} ticket is left.` : `Only ${left} ${name} tickets are left.`,
  "ticket-type.max-per-order": (name: string, max: number) => `You can buy at most ${max} ${name} tickets in one order.`,
  "order.empty": () => "Choose at least one ticket.",
  "order.too-many": (max: number) => `One order can hold at most ${max} tickets. For a larger group, write to the organisers.`,
  "order.attendees-mismatch": () => "Each ticket needs one attendee. Please fill in every attendee form.",
  "order.changed": () => "Prices or availability changed while you were filling in the form. Please check the summary and try again.",
  "discount.unknown": (code: string) => `The code “${code}” is not valid. Check the spelling or remove it.`,
  "discount.not-yet": (code: string) => `The code “${code}” is not valid yet.`,
  "discount.expired": (code: string) => `The code “${code}” has expired.`,
  "discount.exhausted": (code: string) => `The code “${code}” has been used up.`,
  "discount.not-applicable": (code: string) => `The code “${code}” does not apply to the tickets you chose.`,
  "payment.unavailable": () => "We could not reach our payment provider. Nothing was charged and your seats were released. Please try again in a minute.",
  "order.not-found": () => "We could not find that order. Check the link in your email.",
  "order.not-cancellable": () => "This order can no longer be cancelled here.",
  "waitlist.not-sold-out": (name: string) => `${name} still has seats: you can buy one now.`,
  "waitlist.offer-invalid": () => "This waitlist offer has expired or was already used.",
  "refund.too-much": () => "That is more than what remains refundable on this order.",
  "refund.not-paid": () => "Only paid orders can be refunded.",
  "refund.nothing": () => "Choose at least one valid ticket of this order to refund.",
} as const;

export type Rule = keyof typeof messages;

/** A rule was broken: the caller shows `message` to the person and changes nothing. */
export class DomainError extends Error {
  constructor(
    readonly rule: Rule,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export function fail<R extends Rule>(rule: R, ...args: Parameters<(typeof messages)[R]>): never {
  throw new DomainError(rule, (messages[rule] as (...a: unknown[]) => string)(...args));
}

export function failOn<R extends Rule>(field: string, rule: R, ...args: Parameters<(typeof messages)[R]>): never {
  throw new DomainError(rule, (messages[rule] as (...a: unknown[]) => string)(...args), field);
}
