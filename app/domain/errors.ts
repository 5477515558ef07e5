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
  "payment.unavailable": () => "We could not reach our payment provider just now. Nothing was charged and your seats are still held for you. Please try again in a minute.",
  "order.not-found": () => "We could not find that order. Check the link in your email.",
  "order.not-cancellable": () => "This order can no longer be cancelled here.",
  "invoice.refunds-recorded": (number: string) =>
    `Refunds are already recorded against invoice ${number}, so it cannot be re-issued with new details here. Issue a corrected invoice by hand and note it on the order.`,
  "invoice.already-issued": (number: string, contact: string) =>
    `Invoice ${number} is already issued, so its details can no longer be changed here. Write to ${contact || "the organisers"}: they cancel it with a credit note and issue a corrected one.`,
  "waitlist.not-sold-out": (name: string) => `${name} still has seats: you can buy one now.`,
  "waitlist.offer-invalid": () => "This waitlist offer has expired or was already used.",
  "refund.too-much": () => "That is more than what remains refundable on this order.",
  "refund.not-paid": () => "Only paid orders can be refunded.",
  "ticket.not-found": () => "We could not find that ticket. Use the newest link from your ticket email: links stop working when a ticket is transferred.",
  "ticket.not-valid": (status: string) =>
    `This ticket was ${status.toLowerCase()}, so it can no longer be changed. Write to the organisers if you think this is a mistake.`,
  "ticket.locked": (when: string) =>
    `Changes to tickets closed ${when}. If something on your ticket must change, write to the organisers.`,
  "ticket.checked-in": () => "This ticket has already been used to check in, so it can no longer be transferred.",
  "ticket.transfer-same-person": () =>
    "That is already the email on this ticket. To correct a name or a typo, use “Your details” on the ticket page instead.",
  "ticket.not-in-order": () => "That ticket is not part of this order.",
  "ticket.resend-too-soon": (seconds: number) =>
    `This ticket was sent a moment ago. You can send it again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`,
  "agenda.unknown-session": () => "One of the sessions you picked is no longer on the agenda. Please check your picks and save again.",
  "refund.nothing": () => "Choose at least one valid ticket of this order to refund.",
  "account.sponsor-required": () => "Choose the sponsor this person works for.",
  "account.sponsor-unknown": () => "That sponsor does not exist (it may have just been deleted). Reload the page and choose a sponsor from the list.",
  "account.exists": (email: string) => `${email} already has an account.`,
  "account.link-invalid": () => "This link has expired or was already used. Ask for a new one.",
  "account.wrong-password": () => "Your current password is not correct.",
  "content.not-found": (what: string) => `That ${what} no longer exists. It may have been deleted by someone else.`,
  "content.name-taken": (what: string, name: string) => `There is already a ${what} called “${name}”. Choose another name.`,
  "content.in-use": (what: string, uses: string) => `This ${what} cannot be deleted: ${uses}. Move or remove those first.`,
  "content.delete-unconfirmed": () => "Tick the box to confirm the deletion.",
  "upload.too-large": (limit: string) => `That image is too large. Please upload one of at most ${limit}.`,
  "upload.wrong-type": () => "That file is not a PNG, JPEG or WebP image. Please upload one of those (SVG is not accepted).",
  "session.unknown-reference": () => "A track, room or speaker you chose no longer exists. Please reload the page and choose again.",
  "session.conflicts": () => "This session clashes with the agenda. Fix the problems below, or tick “Save anyway”.",
  "session.end-before-start": () => "The session must end after it starts.",
  "lead.unknown-code": () => "That code does not match a badge. Check the 8 characters under the QR code and try again.",
  "lead.scan-too-fast": (seconds: number) => `Too many scans in a short time. Please wait ${seconds} ${seconds === 1 ? "second" : "seconds"} and try again.`,
  "lead.too-many-misses": (minutes: number) =>
    `That code does not match a badge, and neither did many others in the last few minutes. Real badges still scan; codes that match no badge are refused for ${minutes} more ${minutes === 1 ? "minute" : "minutes"}.`,
  "lead.not-found": () => "That lead is not in your list.",
  "sponsor.account-unlinked": () => "Your account is not linked to a sponsor. Ask an organiser to fix it.",
  "sponsor-change.not-pending": () => "This change was already reviewed by someone else. Reload the page to see its status.",
  // Editions.
  "edition.first-day-past": () => "The first day must be in the future. Enter the first day of the next edition.",
  "edition.first-day-before-current": (name: string, lastDay: string) =>
    `The next edition must start after ${name}, which ends on ${lastDay}. Choose a later first day.`,
  "edition.year-taken": (year: number, name: string, status: string) =>
    `There is already an edition in ${year}: ${name} (${status.toLowerCase()}). Choose a first day in another year, or open ${name} with the edition switcher at the top of the page.`,
  "edition.prefix-taken": (prefix: string, name: string) =>
    `${name} already numbers its invoices ${prefix}…: each edition needs its own prefix so that no two invoices share a number. Choose another prefix.`,
  "edition.not-found": () => "That edition does not exist. Reload the page and choose one from the list.",
  "edition.already-public": (name: string) => `${name} is already the public edition.`,
  // Organisers' commerce admin.
  "ticket-type.capacity-below-taken": (sold: number, held: number) =>
    `Capacity cannot be lower than the ${sold + held} seats already taken (${sold} sold, ${held} held in unpaid orders). Enter ${sold + held} or more.`,
  "discount.code-taken": (code: string) => `There is already a code “${code}”. Choose another code.`,
  "discount.max-below-used": (used: number) => `This code has already been used ${used} times, so the maximum cannot be lower than ${used}.`,
  "comp.type-full": (name: string) => `${name} is full. Raise its capacity first, or choose another ticket type.`,
  "refund.provider-unavailable": () =>
    "Stripe could not be reached, so the money has not gone back yet. The refund is recorded and is retried automatically within a few minutes.",
  "discount.unknown-type": () => "One of the ticket types you chose no longer exists. Reload the page and choose again.",
  // Pay by invoice.
  "invoice-payment.off": () => "Paying by invoice is not offered for this event. Please pay by card.",
  "invoice-payment.too-few": (min: number) => `Paying by invoice is offered from ${min} tickets. Add tickets or pay by card.`,
  "invoice-payment.too-late": () => "The event is too close to pay by invoice: a bank transfer would not arrive in time. Please pay by card.",
  "invoice-payment.needs-company": () => "An invoice to pay by transfer is made out to a company: tick “Buying for a company” and enter its name and billing address.",
  "invoice-payment.too-many-open": (count: number) =>
    `There ${count === 1 ? "is already 1 unpaid invoice order" : `are already ${count} unpaid invoice orders`} for this email or network. Pay those first, or pay by card.`,
  "invoice-payment.not-invoice": () => "This order is not paid by invoice.",
  "invoice-payment.not-open": (status: string) => `This order is ${status}, so no payment can be recorded against it here.`,
  "invoice-payment.too-much": (outstanding: string) => `That is more than the ${outstanding} still outstanding on this order. Record at most the outstanding amount.`,
  "invoice-payment.reinstate-needs-full": (outstanding: string) =>
    `This order was cancelled unpaid. Record the whole ${outstanding} to reinstate it, or return a partial payment to the buyer.`,
  "invoice-payment.no-seats": () =>
    "This order was cancelled and its seats have since been sold, so it cannot be reinstated. Nothing was recorded: return the payment to the buyer.",
  "invoice-payment.received-future": () => "The date received cannot be in the future. Record the payment once the money has arrived.",
  "invoice-payment.due-in-past": () => "The new due date must be later than today.",
  "invoice-payment.due-after-start": (day: string) => `The due date cannot be after the event starts (${day}).`,
  "invoice-payment.due-earlier": () => "The new due date must be later than the current one. To end the order sooner, cancel it.",
  // Name badges.
  "badges.unknown-type": () => "That ticket type does not exist in this event. Choose one from the list on the badges page.",
  "badges.unknown-ticket": () => "That ticket does not exist in this event. Search for the person on the badges page.",
  "badges.ticket-not-valid": (name: string, status: string) =>
    `${name}'s ticket was ${status.toLowerCase()}, so it admits nobody and gets no badge. Check the attendee page if this is a mistake.`,
  "badges.none-valid": (what: string) => `There are no valid tickets ${what}, so there are no badges to print.`,
  // Messages to attendees.
  "message.not-found": () => "That message no longer exists. It may have been deleted by someone else.",
  "message.already-sent": () => "This message has been sent, so it can no longer be changed or deleted. Write a new one.",
  "message.no-recipients": () => "Nobody would receive this message: choose other recipients.",
  "message.audience-changed": (count: number) =>
    `The number of people this message goes to changed while you were looking (now ${count}). Check it and press Send again.`,
  "order.cancel-not-pending": (status: string) =>
    `Only unpaid (pending) orders can be cancelled; this one is ${status.toLowerCase()}. Refund it instead if it was paid.`,
  // Privacy requests.
  "privacy.awaiting-payment": (references: string) =>
    `Nothing was erased: ${references} of this person ${references.includes(",") ? "are" : "is"} awaiting payment, and its buyer and attendees are what the payment is matched to. Record the payment or cancel the order on its page, then erase.`,
  "privacy.nothing-held": (what: "erase" | "export") => `Nothing is held under that email address (it may have been erased already), so there is nothing to ${what}.`,
  "privacy.request-not-found": () => "That privacy request does not exist. Reload the page and choose one from the list.",
  "privacy.request-handled": (status: string) => `This request was already ${status.toLowerCase()}. Reload the page to see who handled it.`,
  "privacy.request-kind": (kind: string) => `This is a request for ${kind}, so it cannot be handled that way. Use its own button in the list.`,
  "privacy.ticket-erased": () => "The details on this ticket have already been erased, so there is nothing more to ask for here.",
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
