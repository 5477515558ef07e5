// The `/v1` endpoints: request parameters are checked and converted here, then handed to the
// state; responses are expanded (`expand[]`) and paginated the way Stripe does.

import { invalidParam, missingParam, resourceMissing, StripeApiError, unsupportedParam } from "./errors";
import type { FormObject } from "./form-body";
import {
  checkParams,
  expandParam,
  metadataParam,
  objectElements,
  optionalArray,
  optionalCurrency,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalUrl,
  paramPath,
  requiredInteger,
  requiredString,
} from "./params";
import type { CouponInput, EmulatorState, EventCause, LineItemInput, RefundInput, SessionInput } from "./state";
import type { WebhookDispatcher } from "./webhooks";

export interface ApiRequest {
  method: string;
  path: string;
  params: FormObject;
  requestId: string;
  idempotencyKey: string | null;
}

export interface ApiResult {
  status: number;
  body: unknown;
}

type Obj = Record<string, unknown>;
type Handler = (request: ApiRequest, match: string[]) => unknown;

interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  handler: Handler;
}

// Parameters the emulator reads, plus real ones that change nothing it models (copy, layout,
// which fields the page collects) and are therefore accepted and ignored.
const SESSION_CREATE_PARAMS = [
  "mode", "line_items", "discounts", "customer_email", "client_reference_id", "metadata", "expires_at", "success_url",
  "cancel_url", "payment_intent_data", "locale", "submit_type", "allow_promotion_codes", "billing_address_collection",
  "ui_mode", "expand", "adaptive_pricing", "branding_settings", "consent_collection", "custom_fields", "custom_text",
  "customer_creation", "integration_identifier", "name_collection", "origin_context", "payment_method_configuration",
  "payment_method_options", "phone_number_collection", "tax_id_collection", "wallet_options",
] as const;

// Real parameters whose behaviour the emulator does not implement: refused, not silently ignored.
const SESSION_CREATE_UNSUPPORTED: Record<string, string> = {
  after_expiration: "(session recovery)",
  allowed_payment_method_types: "",
  automatic_tax: "(send tax as its own line item)",
  currency: "(only needed with `price` ids, which are not modelled)",
  customer: "(customers are not modelled)",
  customer_account: "",
  customer_update: "",
  excluded_payment_method_types: "",
  invoice_creation: "",
  managed_payments: "",
  optional_items: "",
  payment_method_collection: "",
  payment_method_data: "",
  permissions: "",
  redirect_on_completion: "",
  return_url: "(embedded Checkout)",
  saved_payment_method_options: "",
  setup_intent_data: "",
  shipping_address_collection: "",
  shipping_options: "",
  subscription_data: "",
};

const SESSION_LIST_PARAMS = [
  "limit", "starting_after", "ending_before", "expand", "payment_intent", "status", "created", "customer",
  "customer_account", "customer_details", "payment_link", "subscription",
] as const;

const notFoundRoute = (request: ApiRequest) =>
  new StripeApiError(404, {
    type: "invalid_request_error",
    message: `Unrecognized request URL (${request.method}: ${request.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });

export class StripeApi {
  private readonly routes: Route[];

  constructor(
    private readonly state: EmulatorState,
    private readonly events: WebhookDispatcher,
  ) {
    const id = "([^/]+)";
    this.routes = [
      { method: "POST", pattern: /^\/v1\/coupons$/, handler: (r) => this.expanded(this.state.createCoupon(couponInput(r.params)), r.params) },
      { method: "GET", pattern: new RegExp(`^/v1/coupons/${id}$`), handler: (r, [couponId]) => this.expanded(this.state.getCoupon(couponId), r.params) },
      { method: "POST", pattern: /^\/v1\/checkout\/sessions$/, handler: (r) => this.expanded(this.state.createSession(sessionInput(r.params)), r.params) },
      { method: "GET", pattern: /^\/v1\/checkout\/sessions$/, handler: (r) => this.listSessions(r.params) },
      {
        method: "GET",
        pattern: new RegExp(`^/v1/checkout/sessions/${id}$`),
        handler: (r, [sessionId]) => (checkParams(r.params, "", ["expand"]), this.expanded(this.state.getSession(sessionId), r.params)),
      },
      {
        method: "POST",
        pattern: new RegExp(`^/v1/checkout/sessions/${id}/expire$`),
        handler: (r, [sessionId]) => (checkParams(r.params, "", ["expand"]), this.expanded(this.state.expireSession(sessionId, cause(r)), r.params)),
      },
      {
        method: "GET",
        pattern: new RegExp(`^/v1/checkout/sessions/${id}/line_items$`),
        handler: (r, [sessionId]) => {
          checkParams(r.params, "", ["limit", "starting_after", "ending_before", "expand"]);
          return this.page(this.state.lineItems(sessionId), r.params, `/v1/checkout/sessions/${sessionId}/line_items`, "line_item");
        },
      },
      {
        method: "GET",
        pattern: new RegExp(`^/v1/payment_intents/${id}$`),
        handler: (r, [intentId]) => (checkParams(r.params, "", ["expand", "client_secret"]), this.expanded(this.state.getPaymentIntent(intentId), r.params)),
      },
      {
        method: "GET",
        pattern: new RegExp(`^/v1/charges/${id}$`),
        handler: (r, [chargeId]) => (checkParams(r.params, "", ["expand"]), this.expanded(this.state.getCharge(chargeId), r.params)),
      },
      { method: "POST", pattern: /^\/v1\/refunds$/, handler: (r) => this.expanded(this.state.createRefund(refundInput(r.params), cause(r)), r.params) },
      {
        method: "GET",
        pattern: /^\/v1\/refunds$/,
        handler: (r) => {
          checkParams(r.params, "", ["limit", "starting_after", "ending_before", "expand", "payment_intent", "charge"]);
          const refunds = this.state.listRefunds({ paymentIntent: optionalString(r.params, "payment_intent"), charge: optionalString(r.params, "charge") });
          return this.page(refunds, r.params, "/v1/refunds", "refund");
        },
      },
      {
        method: "GET",
        pattern: new RegExp(`^/v1/refunds/${id}$`),
        handler: (r, [refundId]) => (checkParams(r.params, "", ["expand"]), this.expanded(this.state.getRefund(refundId), r.params)),
      },
      {
        method: "GET",
        pattern: /^\/v1\/events$/,
        handler: (r) => {
          checkParams(r.params, "", ["limit", "starting_after", "ending_before", "type", "types"]);
          const type = optionalString(r.params, "type");
          const types = (optionalArray(r.params, "types") ?? []).map(String);
          const events = this.events
            .list()
            .reverse()
            .filter((event) => (!type || event.type === type) && (types.length === 0 || types.includes(event.type)));
          return this.page(events, r.params, "/v1/events", "event");
        },
      },
      {
        method: "GET",
        pattern: new RegExp(`^/v1/events/${id}$`),
        handler: (r, [eventId]) => {
          checkParams(r.params, "", ["expand"]);
          const event = this.events.find(eventId);
          if (!event) throw resourceMissing("event", eventId, "id");
          return event;
        },
      },
    ];
  }

  /** Answers a `/v1` request or throws a StripeApiError. */
  handle(request: ApiRequest): ApiResult {
    for (const route of this.routes) {
      const match = route.pattern.exec(request.path);
      if (!match || route.method !== request.method) continue;
      const ids = match.slice(1).map((part) => decodeURIComponent(part));
      return { status: 200, body: route.handler(request, ids) };
    }
    throw notFoundRoute(request);
  }

  private listSessions(params: FormObject): unknown {
    checkParams(params, "", SESSION_LIST_PARAMS);
    const status = optionalEnum(params, "status", ["open", "complete", "expired"] as const);
    const paymentIntent = optionalString(params, "payment_intent");
    const email = optionalString(optionalObject(params, "customer_details") ?? {}, "email", "customer_details");
    const created = createdFilter(params);
    // Customers, payment links and subscriptions are never set here, so filtering on them finds nothing.
    const unmatchable = ["customer", "customer_account", "payment_link", "subscription"].some((key) => optionalString(params, key) !== undefined);
    const sessions = this.state
      .listSessions()
      .filter(
        (session) =>
          !unmatchable &&
          (!status || session.status === status) &&
          (!paymentIntent || session.payment_intent === paymentIntent) &&
          (!email || session.customer_details?.email === email) &&
          created(session.created),
      );
    return this.page(sessions, params, "/v1/checkout/sessions", "checkout.session");
  }

  /** Stripe's cursor pagination over a newest-first list; `expand[]` entries start with `data.`. */
  private page<T extends { id: string }>(items: T[], params: FormObject, url: string, objectName: string): unknown {
    const limit = optionalInteger(params, "limit", "", 1) ?? 10;
    if (limit > 100) throw invalidParam("This value must be less than or equal to 100.", "limit", "parameter_invalid_integer");
    const startingAfter = optionalString(params, "starting_after");
    const endingBefore = optionalString(params, "ending_before");
    const cursor = (name: string, value: string) => {
      const index = items.findIndex((item) => item.id === value);
      if (index === -1) throw resourceMissing(objectName, value, name);
      return index;
    };
    let data: T[];
    let hasMore: boolean;
    if (endingBefore !== undefined) {
      const before = items.slice(0, cursor("ending_before", endingBefore));
      data = before.slice(-limit);
      hasMore = before.length > limit;
    } else {
      const after = startingAfter !== undefined ? items.slice(cursor("starting_after", startingAfter) + 1) : items;
      data = after.slice(0, limit);
      hasMore = after.length > limit;
    }
    const paths = expandParam(params).map((path) => {
      if (!path.startsWith("data.")) throw invalidParam(`This property cannot be expanded (${path}).`, "expand");
      return path.slice("data.".length);
    });
    return { object: "list", data: data.map((item) => this.expand(item as unknown as Obj, paths)), has_more: hasMore, url };
  }

  private expanded(object: object, params: FormObject): Obj {
    return this.expand(object as Obj, expandParam(params));
  }

  private expand(object: Obj, paths: string[]): Obj {
    for (const path of paths) this.expandPath(object, path.split("."), path);
    return object;
  }

  // What each object type can expand, from the value currently in the field.
  private readonly expanders: Record<string, Record<string, (object: Obj, current: unknown) => Obj | null>> = {
    "checkout.session": {
      payment_intent: (_, current) => (typeof current === "string" ? this.state.getPaymentIntent(current) : null) as Obj | null,
      line_items: (session) => {
        const sessionId = String(session.id);
        return { object: "list", data: this.state.lineItems(sessionId), has_more: false, url: `/v1/checkout/sessions/${sessionId}/line_items` };
      },
    },
    payment_intent: {
      latest_charge: (_, current) => (typeof current === "string" ? this.state.getCharge(current) : null) as Obj | null,
    },
    charge: {
      payment_intent: (_, current) => (typeof current === "string" ? this.state.getPaymentIntent(current) : null) as Obj | null,
    },
    refund: {
      charge: (_, current) => (typeof current === "string" ? this.state.getCharge(current) : null) as Obj | null,
      payment_intent: (_, current) => (typeof current === "string" ? this.state.getPaymentIntent(current) : null) as Obj | null,
    },
  };

  private expandPath(object: Obj, [field, ...rest]: string[], fullPath: string): void {
    const expander = this.expanders[String(object.object)]?.[field];
    if (!expander) throw invalidParam(`This property cannot be expanded (${fullPath}).`, "expand");
    const current = object[field];
    // Already expanded by an earlier path (e.g. `payment_intent.latest_charge`): keep and descend.
    const value = current !== null && typeof current === "object" ? (current as Obj) : expander(object, current);
    object[field] = value;
    if (rest.length > 0 && value) this.expandPath(value, rest, fullPath);
  }
}

const cause = (request: ApiRequest): EventCause => ({ requestId: request.requestId, idempotencyKey: request.idempotencyKey });

function createdFilter(params: FormObject): (created: number) => boolean {
  const raw = params.created;
  if (raw === undefined || raw === "") return () => true;
  if (typeof raw === "string") {
    const exact = optionalInteger(params, "created");
    return (created) => created === exact;
  }
  const range = optionalObject(params, "created") ?? {};
  checkParams(range, "created", ["gt", "gte", "lt", "lte"]);
  const [gt, gte, lt, lte] = (["gt", "gte", "lt", "lte"] as const).map((key) => optionalInteger(range, key, "created"));
  return (created) =>
    (gt === undefined || created > gt) && (gte === undefined || created >= gte) && (lt === undefined || created < lt) && (lte === undefined || created <= lte);
}

function optionalBoolean(params: FormObject, key: string, prefix = ""): boolean | null {
  const value = optionalEnum(params, key, ["true", "false"] as const, prefix);
  return value === undefined ? null : value === "true";
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function sessionInput(params: FormObject): SessionInput {
  checkParams(params, "", SESSION_CREATE_PARAMS, SESSION_CREATE_UNSUPPORTED);
  const mode = optionalEnum(params, "mode", ["payment", "setup", "subscription"] as const);
  if (!mode) throw missingParam("mode");
  if (mode !== "payment") throw unsupportedParam("mode", `with the value "${mode}" (only "payment")`);
  const uiMode = optionalString(params, "ui_mode");
  if (uiMode !== undefined && uiMode !== "hosted") throw unsupportedParam("ui_mode", `with the value "${uiMode}" (only "hosted")`);

  const successUrl = optionalUrl(params, "success_url");
  if (!successUrl) throw missingParam("success_url");
  const items = optionalArray(params, "line_items");
  if (!items || items.length === 0) throw missingParam("line_items");
  const lineItems = objectElements(items, "line_items").map(lineItemInput);

  const discounts = objectElements(optionalArray(params, "discounts") ?? [], "discounts");
  if (discounts.length > 1) throw invalidParam("Only one discount can be applied to a Checkout Session.", "discounts");
  let couponId: string | null = null;
  if (discounts[0]) {
    checkParams(discounts[0], "discounts[0]", ["coupon"], { promotion_code: "(use coupons)", promotion_codes: "" });
    couponId = requiredString(discounts[0], "coupon", "discounts[0]");
  }

  const customerEmail = optionalString(params, "customer_email") ?? null;
  if (customerEmail !== null && !EMAIL.test(customerEmail)) {
    throw invalidParam(`Invalid email address: ${customerEmail}`, "customer_email", "email_invalid");
  }
  const clientReferenceId = optionalString(params, "client_reference_id") ?? null;
  if (clientReferenceId !== null && clientReferenceId.length > 200) {
    throw invalidParam("client_reference_id can have up to 200 characters.", "client_reference_id");
  }

  return {
    lineItems,
    couponId,
    customerEmail,
    clientReferenceId,
    metadata: metadataParam(params, "metadata"),
    expiresAt: optionalInteger(params, "expires_at") ?? null,
    successUrl,
    cancelUrl: optionalUrl(params, "cancel_url") ?? null,
    locale: optionalString(params, "locale") ?? null,
    submitType: optionalEnum(params, "submit_type", ["auto", "book", "donate", "pay", "subscribe"] as const) ?? null,
    allowPromotionCodes: optionalBoolean(params, "allow_promotion_codes"),
    billingAddressCollection: optionalEnum(params, "billing_address_collection", ["auto", "required"] as const) ?? null,
    paymentIntentData: paymentIntentDataInput(optionalObject(params, "payment_intent_data") ?? {}),
  };
}

function paymentIntentDataInput(data: FormObject): SessionInput["paymentIntentData"] {
  const prefix = "payment_intent_data";
  checkParams(data, prefix, ["metadata", "description", "receipt_email", "statement_descriptor", "statement_descriptor_suffix", "capture_method"], {
    application_fee_amount: "",
    on_behalf_of: "",
    setup_future_usage: "",
    shipping: "",
    transfer_data: "",
    transfer_group: "",
  });
  const captureMethod = optionalEnum(data, "capture_method", ["automatic", "automatic_async", "manual"] as const, prefix);
  if (captureMethod === "manual") throw unsupportedParam(`${prefix}[capture_method]`, 'with the value "manual"');
  return {
    metadata: metadataParam(data, "metadata", prefix),
    description: optionalString(data, "description", prefix) ?? null,
    receiptEmail: optionalString(data, "receipt_email", prefix) ?? null,
    statementDescriptor: optionalString(data, "statement_descriptor", prefix) ?? null,
    statementDescriptorSuffix: optionalString(data, "statement_descriptor_suffix", prefix) ?? null,
  };
}

function lineItemInput(item: FormObject, index: number): LineItemInput {
  const prefix = `line_items[${index}]`;
  checkParams(item, prefix, ["price_data", "quantity", "metadata"], {
    price: "(Price objects are not modelled; use price_data)",
    adjustable_quantity: "",
    tax_rates: "(send tax as its own line item)",
    dynamic_tax_rates: "",
  });
  const quantity = optionalInteger(item, "quantity", prefix, 1);
  if (quantity === undefined) {
    throw invalidParam(`Quantity is required. Add \`quantity\` to \`${prefix}\``, paramPath(prefix, "quantity"), "parameter_missing");
  }
  const priceData = optionalObject(item, "price_data", prefix);
  if (!priceData) throw missingParam(paramPath(prefix, "price_data"));
  const pricePrefix = paramPath(prefix, "price_data");
  checkParams(priceData, pricePrefix, ["currency", "unit_amount", "product_data", "tax_behavior"], {
    product: "(Product objects are not modelled; use product_data)",
    recurring: "(only payment mode)",
    unit_amount_decimal: "(use unit_amount)",
  });
  const currency = optionalCurrency(priceData, "currency", pricePrefix);
  if (!currency) throw missingParam(paramPath(pricePrefix, "currency"));
  const unitAmount = requiredInteger(priceData, "unit_amount", pricePrefix, 0);
  const productData = optionalObject(priceData, "product_data", pricePrefix);
  if (!productData) throw missingParam(paramPath(pricePrefix, "product_data"));
  const productPrefix = paramPath(pricePrefix, "product_data");
  checkParams(productData, productPrefix, ["name", "description", "images", "metadata", "tax_code", "tax_details", "unit_label"]);
  return {
    name: requiredString(productData, "name", productPrefix),
    description: optionalString(productData, "description", productPrefix) ?? null,
    unitAmount,
    quantity,
    currency,
    taxBehavior: optionalEnum(priceData, "tax_behavior", ["exclusive", "inclusive", "unspecified"] as const, pricePrefix) ?? "unspecified",
    metadata: metadataParam(item, "metadata", prefix),
  };
}

function couponInput(params: FormObject): CouponInput {
  checkParams(params, "", ["amount_off", "percent_off", "currency", "duration", "duration_in_months", "id", "max_redemptions", "metadata", "name", "redeem_by", "expand"], {
    applies_to: "",
    currency_options: "",
  });
  const amountOff = optionalInteger(params, "amount_off", "", 1) ?? null;
  const rawPercent = optionalString(params, "percent_off");
  let percentOff: number | null = null;
  if (rawPercent !== undefined) {
    percentOff = Number(rawPercent);
    if (!/^\d+(\.\d+)?$/.test(rawPercent) || percentOff <= 0 || percentOff > 100) {
      throw invalidParam(`Invalid percent_off: must be a number greater than 0 and at most 100`, "percent_off");
    }
  }
  if ((amountOff === null) === (percentOff === null)) {
    throw invalidParam("Exactly one of `amount_off` or `percent_off` is required.", amountOff === null ? "amount_off" : "percent_off");
  }
  const currency = optionalCurrency(params, "currency") ?? null;
  if (amountOff !== null && currency === null) throw invalidParam("You must pass currency when passing amount_off", "currency", "parameter_missing");
  const duration = optionalEnum(params, "duration", ["once", "repeating", "forever"] as const) ?? "once";
  const durationInMonths = optionalInteger(params, "duration_in_months", "", 1) ?? null;
  if (duration === "repeating" && durationInMonths === null) throw missingParam("duration_in_months");
  const name = optionalString(params, "name") ?? null;
  if (name !== null && name.length > 40) throw invalidParam("Invalid string: the coupon name can have up to 40 characters.", "name");
  return {
    id: optionalString(params, "id") ?? null,
    amountOff,
    percentOff,
    currency,
    duration,
    durationInMonths: duration === "repeating" ? durationInMonths : null,
    maxRedemptions: optionalInteger(params, "max_redemptions", "", 1) ?? null,
    redeemBy: optionalInteger(params, "redeem_by") ?? null,
    name,
    metadata: metadataParam(params, "metadata"),
  };
}

function refundInput(params: FormObject): RefundInput {
  checkParams(params, "", ["payment_intent", "charge", "amount", "reason", "metadata", "expand"], {
    currency: "(customer balance refunds)",
    customer: "",
    instructions_email: "",
    origin: "",
    refund_application_fee: "",
    reverse_transfer: "",
  });
  const paymentIntent = optionalString(params, "payment_intent") ?? null;
  const charge = optionalString(params, "charge") ?? null;
  if (!paymentIntent && !charge) throw invalidParam("One of `charge` or `payment_intent` is required.", "payment_intent", "parameter_missing");
  return {
    paymentIntent,
    charge,
    amount: optionalInteger(params, "amount", "", 1) ?? null,
    reason: optionalEnum(params, "reason", ["duplicate", "fraudulent", "requested_by_customer"] as const) ?? null,
    metadata: metadataParam(params, "metadata"),
  };
}
