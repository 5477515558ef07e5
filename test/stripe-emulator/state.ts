// The emulator's in-memory Stripe account: coupons, Checkout Sessions, PaymentIntents, Charges and
// Refunds, with the state transitions the app relies on. Objects are stored in Stripe's JSON shape
// and cloned on the way out, so responses and event payloads are snapshots, as with Stripe.

import { randomBytes } from "node:crypto";
import { cardDeclined, invalidParam, invalidState, resourceMissing } from "./errors";
import { formatAmount, minorUnitDigits } from "./money";

export type Metadata = Record<string, string>;

export interface Coupon {
  id: string;
  object: "coupon";
  amount_off: number | null;
  percent_off: number | null;
  currency: string | null;
  duration: "once" | "repeating" | "forever";
  duration_in_months: number | null;
  created: number;
  livemode: false;
  max_redemptions: number | null;
  metadata: Metadata;
  name: string | null;
  redeem_by: number | null;
  times_redeemed: number;
  valid: boolean;
}

export interface Price {
  id: string;
  object: "price";
  active: boolean;
  billing_scheme: "per_unit";
  created: number;
  currency: string;
  livemode: false;
  lookup_key: null;
  metadata: Metadata;
  nickname: null;
  product: string;
  recurring: null;
  tax_behavior: string;
  type: "one_time";
  unit_amount: number;
  unit_amount_decimal: string;
}

export interface LineItem {
  id: string;
  object: "item";
  amount_discount: number;
  amount_subtotal: number;
  amount_tax: number;
  amount_total: number;
  currency: string;
  description: string;
  metadata: Metadata;
  price: Price;
  quantity: number;
}

export type SessionStatus = "open" | "complete" | "expired";
export type PaymentStatus = "unpaid" | "paid" | "no_payment_required";

export interface CustomerDetails {
  address: null;
  email: string;
  name: string | null;
  phone: null;
  tax_exempt: "none";
  tax_ids: [];
}

export interface CheckoutSession {
  id: string;
  object: "checkout.session";
  after_expiration: null;
  allow_promotion_codes: boolean | null;
  amount_subtotal: number;
  amount_total: number;
  automatic_tax: { enabled: false; liability: null; status: null };
  billing_address_collection: string | null;
  cancel_url: string | null;
  client_reference_id: string | null;
  client_secret: null;
  created: number;
  currency: string;
  customer: null;
  customer_creation: "if_required";
  customer_details: CustomerDetails | null;
  customer_email: string | null;
  discounts: { coupon: string; promotion_code: null }[];
  expires_at: number;
  invoice: null;
  livemode: false;
  locale: string | null;
  metadata: Metadata;
  mode: "payment";
  payment_intent: string | null;
  payment_link: null;
  payment_method_collection: "if_required";
  payment_method_types: string[];
  payment_status: PaymentStatus;
  recovered_from: null;
  setup_intent: null;
  shipping_cost: null;
  status: SessionStatus;
  submit_type: string | null;
  subscription: null;
  success_url: string;
  total_details: { amount_discount: number; amount_shipping: number; amount_tax: number };
  ui_mode: "hosted";
  url: string | null;
}

export interface PaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_capturable: number;
  amount_received: number;
  canceled_at: null;
  cancellation_reason: null;
  capture_method: "automatic_async";
  client_secret: string;
  confirmation_method: "automatic";
  created: number;
  currency: string;
  customer: null;
  description: string | null;
  last_payment_error: { code: string; decline_code: string; message: string; type: "card_error" } | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Metadata;
  next_action: null;
  payment_method: string | null;
  payment_method_types: string[];
  receipt_email: string | null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
  status: "processing" | "succeeded" | "requires_payment_method";
}

export interface Refund {
  id: string;
  object: "refund";
  amount: number;
  balance_transaction: string;
  charge: string;
  created: number;
  currency: string;
  metadata: Metadata;
  payment_intent: string;
  reason: RefundReason | null;
  receipt_number: null;
  source_transfer_reversal: null;
  status: "succeeded";
  transfer_reversal: null;
}

export type RefundReason = "duplicate" | "fraudulent" | "requested_by_customer";

export interface Charge {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  balance_transaction: string;
  billing_details: { address: null; email: string | null; name: string | null; phone: null };
  captured: true;
  created: number;
  currency: string;
  customer: null;
  description: string | null;
  disputed: false;
  failure_code: null;
  failure_message: null;
  livemode: false;
  metadata: Metadata;
  outcome: { network_status: "approved_by_network"; risk_level: "normal"; seller_message: string; type: "authorized" };
  paid: true;
  payment_intent: string;
  payment_method: string;
  payment_method_details: { type: "card"; card: { brand: string; last4: string; exp_month: number; exp_year: number } };
  receipt_email: string | null;
  receipt_url: string;
  refunded: boolean;
  refunds: { object: "list"; data: Refund[]; has_more: false; total_count: number; url: string };
  status: "succeeded";
}

/** Who caused an event: an API request (Stripe fills `event.request`) or nobody (a customer, a timer). */
export type EventCause = { requestId: string; idempotencyKey: string | null } | null;

export type PaymentOutcome = "success" | "declined" | "delayed" | "delayed_failure";

export interface StateHooks {
  /** Milliseconds since the epoch, from the emulator's (possibly test-controlled) clock. */
  now(): number;
  emit(type: string, object: object, cause: EventCause): void;
  /** Real-time timer, cancelled when the emulator stops. */
  schedule(ms: number, run: () => void): void;
  asyncDelayMs(): number;
  baseUrl(): string;
}

export interface LineItemInput {
  name: string;
  description: string | null;
  unitAmount: number;
  quantity: number;
  currency: string;
  taxBehavior: string;
  metadata: Metadata;
}

export interface SessionInput {
  lineItems: LineItemInput[];
  couponId: string | null;
  customerEmail: string | null;
  clientReferenceId: string | null;
  metadata: Metadata;
  expiresAt: number | null;
  successUrl: string;
  cancelUrl: string | null;
  locale: string | null;
  submitType: string | null;
  allowPromotionCodes: boolean | null;
  billingAddressCollection: string | null;
  paymentIntentData: { metadata: Metadata; description: string | null; receiptEmail: string | null; statementDescriptor: string | null; statementDescriptorSuffix: string | null };
}

export interface CouponInput {
  id: string | null;
  amountOff: number | null;
  percentOff: number | null;
  currency: string | null;
  duration: Coupon["duration"];
  durationInMonths: number | null;
  maxRedemptions: number | null;
  redeemBy: number | null;
  name: string | null;
  metadata: Metadata;
}

export interface RefundInput {
  paymentIntent: string | null;
  charge: string | null;
  amount: number | null;
  reason: RefundReason | null;
  metadata: Metadata;
}

interface SessionRecord {
  session: CheckoutSession;
  lineItems: LineItem[];
  productDescriptions: (string | null)[];
  paymentIntentData: SessionInput["paymentIntentData"];
}

/** What the hosted page needs besides the session object. */
export interface SessionView {
  session: CheckoutSession;
  lineItems: LineItem[];
  productDescriptions: (string | null)[];
  coupon: Coupon | null;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomToken(length: number, alphabet = BASE62): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** Stripe-looking ids: `pi_3Q…` (24 characters after the prefix). */
export const newId = (prefix: string, length = 24) => `${prefix}_${randomToken(length)}`;

const THIRTY_MINUTES = 30 * 60;
const ONE_DAY = 24 * 60 * 60;
const TEST_CARD = { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034 };
/** Used when the session had no customer_email and the payment did not come with one. */
export const DEFAULT_BUYER_EMAIL = "buyer@example.com";

const clone = <T>(value: T): T => structuredClone(value);

export class EmulatorState {
  private readonly coupons = new Map<string, Coupon>();
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly paymentIntents = new Map<string, PaymentIntent>();
  private readonly charges = new Map<string, Charge>();
  private readonly refunds = new Map<string, Refund>();

  constructor(private readonly hooks: StateHooks) {}

  private nowSeconds(): number {
    return Math.floor(this.hooks.now() / 1000);
  }

  // ---- coupons ---------------------------------------------------------------------------------

  createCoupon(input: CouponInput): Coupon {
    const id = input.id ?? randomToken(8, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    if (this.coupons.has(id)) throw invalidState(`Coupon already exists.`, "id", "resource_already_exists");
    const coupon: Coupon = {
      id,
      object: "coupon",
      amount_off: input.amountOff,
      percent_off: input.percentOff,
      currency: input.currency,
      duration: input.duration,
      duration_in_months: input.durationInMonths,
      created: this.nowSeconds(),
      livemode: false,
      max_redemptions: input.maxRedemptions,
      metadata: input.metadata,
      name: input.name,
      redeem_by: input.redeemBy,
      times_redeemed: 0,
      valid: true,
    };
    this.coupons.set(id, coupon);
    return clone(coupon);
  }

  getCoupon(id: string): Coupon {
    const coupon = this.coupons.get(id);
    if (!coupon) throw resourceMissing("coupon", id, "coupon");
    this.refreshCoupon(coupon);
    return clone(coupon);
  }

  private refreshCoupon(coupon: Coupon): void {
    const exhausted = coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions;
    const lapsed = coupon.redeem_by !== null && this.nowSeconds() >= coupon.redeem_by;
    coupon.valid = !exhausted && !lapsed;
  }

  // ---- checkout sessions -----------------------------------------------------------------------

  createSession(input: SessionInput): CheckoutSession {
    const now = this.nowSeconds();
    if (input.expiresAt !== null && input.expiresAt - now < THIRTY_MINUTES) {
      throw invalidParam("The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.", "expires_at");
    }
    // Stripe refuses a requested value of exactly 24 hours too (reported by users); its own default is 24 hours.
    if (input.expiresAt !== null && input.expiresAt - now >= ONE_DAY) {
      throw invalidParam("The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.", "expires_at");
    }
    const expiresAt = input.expiresAt ?? now + ONE_DAY;
    const currency = input.lineItems[0].currency;
    input.lineItems.forEach((item, index) => {
      if (item.currency !== currency) {
        throw invalidParam(
          `All line items must use the same currency: line_items[${index}] uses ${item.currency}, line_items[0] uses ${currency}.`,
          `line_items[${index}][price_data][currency]`,
        );
      }
    });

    const coupon = input.couponId ? this.couponForSession(input.couponId, currency) : null;
    const subtotals = input.lineItems.map((item) => item.unitAmount * item.quantity);
    const subtotal = subtotals.reduce((sum, amount) => sum + amount, 0);
    const discount = coupon ? discountFor(coupon, subtotal) : 0;
    const discounts = allocate(discount, subtotals);
    const total = subtotal - discount;
    // Stripe's minimum charge is about 0.50 in the major unit (¥50 for zero-decimal yen).
    const minimum = 50 * 10 ** Math.max(0, minorUnitDigits(currency) - 2);
    if (total > 0 && total < minimum) {
      throw invalidParam(
        `The Checkout Session's total amount due must add up to at least ${formatAmount(minimum, currency)} ${currency}`,
        "line_items",
      );
    }

    const id = `cs_test_${randomToken(58)}`;
    const lineItems: LineItem[] = input.lineItems.map((item, index) => ({
      id: newId("li"),
      object: "item",
      amount_discount: discounts[index],
      amount_subtotal: subtotals[index],
      amount_tax: 0,
      amount_total: subtotals[index] - discounts[index],
      currency,
      description: item.name,
      metadata: item.metadata,
      price: {
        id: newId("price"),
        object: "price",
        active: false,
        billing_scheme: "per_unit",
        created: now,
        currency,
        livemode: false,
        lookup_key: null,
        metadata: {},
        nickname: null,
        product: newId("prod", 14),
        recurring: null,
        tax_behavior: item.taxBehavior,
        type: "one_time",
        unit_amount: item.unitAmount,
        unit_amount_decimal: String(item.unitAmount),
      },
      quantity: item.quantity,
    }));
    const session: CheckoutSession = {
      id,
      object: "checkout.session",
      after_expiration: null,
      allow_promotion_codes: input.allowPromotionCodes,
      amount_subtotal: subtotal,
      amount_total: total,
      automatic_tax: { enabled: false, liability: null, status: null },
      billing_address_collection: input.billingAddressCollection,
      cancel_url: input.cancelUrl,
      client_reference_id: input.clientReferenceId,
      client_secret: null,
      created: now,
      currency,
      customer: null,
      customer_creation: "if_required",
      customer_details: input.customerEmail ? customerDetails(input.customerEmail) : null,
      customer_email: input.customerEmail,
      discounts: coupon ? [{ coupon: coupon.id, promotion_code: null }] : [],
      expires_at: expiresAt,
      invoice: null,
      livemode: false,
      locale: input.locale,
      metadata: input.metadata,
      mode: "payment",
      payment_intent: null,
      payment_link: null,
      payment_method_collection: "if_required",
      payment_method_types: ["card"],
      payment_status: "unpaid",
      recovered_from: null,
      setup_intent: null,
      shipping_cost: null,
      status: "open",
      submit_type: input.submitType,
      subscription: null,
      success_url: input.successUrl,
      total_details: { amount_discount: discount, amount_shipping: 0, amount_tax: 0 },
      ui_mode: "hosted",
      url: `${this.hooks.baseUrl()}/pay/${id}`,
    };
    this.sessions.set(id, {
      session,
      lineItems,
      productDescriptions: input.lineItems.map((item) => item.description),
      paymentIntentData: input.paymentIntentData,
    });
    return clone(session);
  }

  private couponForSession(couponId: string, currency: string): Coupon {
    const coupon = this.coupons.get(couponId);
    if (!coupon) throw resourceMissing("coupon", couponId, "discounts[0][coupon]");
    this.refreshCoupon(coupon);
    if (!coupon.valid) throw invalidState(`This coupon (${couponId}) is no longer valid.`, "discounts[0][coupon]", "coupon_expired");
    if (coupon.amount_off !== null && coupon.currency !== currency) {
      throw invalidState(
        `The coupon ${couponId} has currency ${coupon.currency}, which does not match the Checkout Session's currency ${currency}.`,
        "discounts[0][coupon]",
      );
    }
    return coupon;
  }

  private record(id: string): SessionRecord {
    const record = this.sessions.get(id);
    if (!record) throw resourceMissing("checkout.session", id, "session");
    this.refreshExpiry(record);
    return record;
  }

  getSession(id: string): CheckoutSession {
    return clone(this.record(id).session);
  }

  sessionView(id: string): SessionView {
    const record = this.record(id);
    const couponId = record.session.discounts[0]?.coupon;
    return {
      session: clone(record.session),
      lineItems: clone(record.lineItems),
      productDescriptions: [...record.productDescriptions],
      coupon: couponId ? clone(this.coupons.get(couponId) ?? null) : null,
    };
  }

  lineItems(id: string): LineItem[] {
    return clone(this.record(id).lineItems);
  }

  /** Newest first, as Stripe lists. */
  listSessions(): CheckoutSession[] {
    this.sweepExpired();
    return [...this.sessions.values()].reverse().map((record) => clone(record.session));
  }

  expireSession(id: string, cause: EventCause): CheckoutSession {
    const record = this.record(id);
    if (record.session.status !== "open") {
      throw invalidState(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of \`${record.session.status}\`.`,
      );
    }
    this.expire(record, cause);
    return clone(record.session);
  }

  private expire(record: SessionRecord, cause: EventCause): void {
    record.session.status = "expired";
    record.session.url = null;
    this.hooks.emit("checkout.session.expired", clone(record.session), cause);
  }

  private refreshExpiry(record: SessionRecord): void {
    if (record.session.status === "open" && this.nowSeconds() >= record.session.expires_at) this.expire(record, null);
  }

  /** Expires every open session whose `expires_at` has passed (also run by the server's timer). */
  sweepExpired(): void {
    for (const record of this.sessions.values()) this.refreshExpiry(record);
  }

  // ---- payment ---------------------------------------------------------------------------------

  /**
   * The customer pays on the hosted page. Throws the card error for "declined" (the session stays
   * open) and an invalid_request_error when the session is not open, unless `force` (a payment
   * that raced the expiry) is set.
   */
  pay(id: string, outcome: PaymentOutcome, options: { force?: boolean; email?: string } = {}): CheckoutSession {
    const record = this.record(id);
    const { session } = record;
    if (session.status === "complete" || (session.status === "expired" && !options.force)) {
      throw invalidState(`This Checkout Session is no longer active (status: ${session.status}).`, "session", "checkout_session_inactive");
    }
    if (outcome === "declined") throw cardDeclined();

    const email = session.customer_email ?? options.email ?? DEFAULT_BUYER_EMAIL;
    session.status = "complete";
    session.url = null;
    session.customer_details = customerDetails(email);
    this.redeemCoupon(session);

    if (session.amount_total === 0) {
      // A fully discounted order: Stripe completes it without a PaymentIntent.
      session.payment_status = "no_payment_required";
      this.hooks.emit("checkout.session.completed", clone(session), null);
      return clone(session);
    }

    const delayed = outcome === "delayed" || outcome === "delayed_failure";
    const intent = this.createPaymentIntent(record, email, delayed ? "processing" : "succeeded");
    session.payment_intent = intent.id;
    session.payment_status = delayed ? "unpaid" : "paid";
    this.hooks.emit("checkout.session.completed", clone(session), null);
    if (delayed) {
      this.hooks.schedule(this.hooks.asyncDelayMs(), () => this.settleDelayed(record, intent, outcome === "delayed"));
    }
    return clone(session);
  }

  private redeemCoupon(session: CheckoutSession): void {
    const coupon = session.discounts[0] ? this.coupons.get(session.discounts[0].coupon) : undefined;
    if (!coupon) return;
    coupon.times_redeemed += 1;
    this.refreshCoupon(coupon);
  }

  private createPaymentIntent(record: SessionRecord, email: string, status: PaymentIntent["status"]): PaymentIntent {
    const { session, paymentIntentData } = record;
    const intent: PaymentIntent = {
      id: newId("pi"),
      object: "payment_intent",
      amount: session.amount_total,
      amount_capturable: 0,
      amount_received: 0,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: "automatic_async",
      client_secret: "",
      confirmation_method: "automatic",
      created: this.nowSeconds(),
      currency: session.currency,
      customer: null,
      description: paymentIntentData.description,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: paymentIntentData.metadata,
      next_action: null,
      payment_method: newId("pm"),
      payment_method_types: ["card"],
      receipt_email: paymentIntentData.receiptEmail,
      statement_descriptor: paymentIntentData.statementDescriptor,
      statement_descriptor_suffix: paymentIntentData.statementDescriptorSuffix,
      status,
    };
    intent.client_secret = `${intent.id}_secret_${randomToken(25)}`;
    this.paymentIntents.set(intent.id, intent);
    if (status === "succeeded") this.charge(intent, email);
    return intent;
  }

  private charge(intent: PaymentIntent, email: string): Charge {
    const id = newId("ch");
    const charge: Charge = {
      id,
      object: "charge",
      amount: intent.amount,
      amount_captured: intent.amount,
      amount_refunded: 0,
      balance_transaction: newId("txn"),
      billing_details: { address: null, email, name: null, phone: null },
      captured: true,
      created: this.nowSeconds(),
      currency: intent.currency,
      customer: null,
      description: intent.description,
      disputed: false,
      failure_code: null,
      failure_message: null,
      livemode: false,
      metadata: {},
      outcome: { network_status: "approved_by_network", risk_level: "normal", seller_message: "Payment complete.", type: "authorized" },
      paid: true,
      payment_intent: intent.id,
      payment_method: intent.payment_method ?? newId("pm"),
      payment_method_details: { type: "card", card: { ...TEST_CARD } },
      receipt_email: intent.receipt_email,
      receipt_url: `${this.hooks.baseUrl()}/receipts/${id}`,
      refunded: false,
      refunds: { object: "list", data: [], has_more: false, total_count: 0, url: `/v1/charges/${id}/refunds` },
      status: "succeeded",
    };
    this.charges.set(id, charge);
    intent.status = "succeeded";
    intent.amount_received = intent.amount;
    intent.latest_charge = id;
    return charge;
  }

  private settleDelayed(record: SessionRecord, intent: PaymentIntent, succeeded: boolean): void {
    const { session } = record;
    if (succeeded) {
      this.charge(intent, session.customer_details?.email ?? DEFAULT_BUYER_EMAIL);
      session.payment_status = "paid";
      this.hooks.emit("checkout.session.async_payment_succeeded", clone(session), null);
    } else {
      intent.status = "requires_payment_method";
      intent.payment_method = null;
      intent.last_payment_error = { type: "card_error", code: "payment_intent_payment_attempt_failed", decline_code: "generic_decline", message: "The payment failed." };
      this.hooks.emit("checkout.session.async_payment_failed", clone(session), null);
    }
  }

  getPaymentIntent(id: string): PaymentIntent {
    const intent = this.paymentIntents.get(id);
    if (!intent) throw resourceMissing("payment_intent", id, "intent");
    return clone(intent);
  }

  getCharge(id: string): Charge {
    const charge = this.charges.get(id);
    if (!charge) throw resourceMissing("charge", id, "charge");
    return clone(charge);
  }

  // ---- refunds ---------------------------------------------------------------------------------

  createRefund(input: RefundInput, cause: EventCause): Refund {
    const charge = this.refundableCharge(input);
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining === 0) throw invalidState(`Charge ${charge.id} has already been refunded.`, undefined, "charge_already_refunded");
    const amount = input.amount ?? remaining;
    if (amount > remaining) {
      const what = charge.amount_refunded === 0 ? "charge amount" : "unrefunded amount on charge";
      throw invalidState(
        `Refund amount (${formatAmount(amount, charge.currency)}) is greater than ${what} (${formatAmount(remaining, charge.currency)})`,
        "amount",
        "amount_too_large",
      );
    }
    const refund: Refund = {
      id: newId("re"),
      object: "refund",
      amount,
      balance_transaction: newId("txn"),
      charge: charge.id,
      created: this.nowSeconds(),
      currency: charge.currency,
      metadata: input.metadata,
      payment_intent: charge.payment_intent,
      reason: input.reason,
      receipt_number: null,
      source_transfer_reversal: null,
      status: "succeeded",
      transfer_reversal: null,
    };
    this.refunds.set(refund.id, refund);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    charge.refunds.data.unshift(clone(refund));
    charge.refunds.total_count += 1;
    this.hooks.emit("charge.refunded", clone(charge), cause);
    return clone(refund);
  }

  private refundableCharge(input: RefundInput): Charge {
    if (input.charge) {
      const charge = this.charges.get(input.charge);
      if (!charge) throw resourceMissing("charge", input.charge, "charge");
      if (input.paymentIntent && charge.payment_intent !== input.paymentIntent) {
        throw invalidState(`Charge ${charge.id} does not belong to PaymentIntent ${input.paymentIntent}.`, "payment_intent");
      }
      return charge;
    }
    const intentId = input.paymentIntent ?? "";
    const intent = this.paymentIntents.get(intentId);
    if (!intent) throw resourceMissing("payment_intent", intentId, "payment_intent");
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    if (intent.status !== "succeeded" || !charge) {
      throw invalidState(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, "payment_intent");
    }
    return charge;
  }

  getRefund(id: string): Refund {
    const refund = this.refunds.get(id);
    if (!refund) throw resourceMissing("refund", id, "id");
    return clone(refund);
  }

  /** Newest first. */
  listRefunds(filter: { paymentIntent?: string; charge?: string }): Refund[] {
    return [...this.refunds.values()]
      .reverse()
      .filter((refund) => (!filter.paymentIntent || refund.payment_intent === filter.paymentIntent) && (!filter.charge || refund.charge === filter.charge))
      .map(clone);
  }
}

function customerDetails(email: string): CustomerDetails {
  return { address: null, email, name: null, phone: null, tax_exempt: "none", tax_ids: [] };
}

function discountFor(coupon: Coupon, subtotal: number): number {
  if (coupon.amount_off !== null) return Math.min(coupon.amount_off, subtotal);
  return Math.round((subtotal * (coupon.percent_off ?? 0)) / 100);
}

/**
 * Spreads a session-level discount over the line items in proportion to their subtotals (largest
 * remainder), as Stripe reports it per line item. Stripe's exact rounding rule is not documented.
 */
function allocate(discount: number, subtotals: number[]): number[] {
  const total = subtotals.reduce((sum, amount) => sum + amount, 0);
  if (discount === 0 || total === 0) return subtotals.map(() => 0);
  const exact = subtotals.map((amount) => (discount * amount) / total);
  const shares = exact.map(Math.floor);
  let left = discount - shares.reduce((sum, share) => sum + share, 0);
  const order = exact.map((value, index) => ({ index, fraction: value - Math.floor(value) })).sort((a, b) => b.fraction - a.fraction);
  for (const { index } of order) {
    if (left === 0) break;
    shares[index] += 1;
    left -= 1;
  }
  return shares;
}
