// Stripe's error envelope and the few constructors the emulator needs. Messages follow Stripe's
// wording where it is known, so code that matches on `err.code` or logs `err.message` behaves alike.

export type StripeErrorType =
  | "invalid_request_error"
  | "idempotency_error"
  | "card_error"
  | "api_error"
  | "authentication_error"
  | "rate_limit_error";

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
}

export class StripeApiError extends Error {
  readonly status: number;
  readonly body: StripeErrorBody;
  /**
   * Stripe saves an idempotent result only once an endpoint has started executing: requests
   * rejected by parameter validation can be retried with the same key. `saved: false` marks those.
   */
  readonly saved: boolean;

  constructor(status: number, body: StripeErrorBody, saved = true) {
    super(body.message);
    this.name = "StripeApiError";
    this.status = status;
    this.body = body;
    this.saved = saved;
  }

  toJSON(): { error: StripeErrorBody } {
    return { error: this.body };
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replaceAll("_", "-")}`;

/** A 400 caused by the request alone (not saved for idempotency, like Stripe). */
export function invalidParam(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(
    400,
    { type: "invalid_request_error", message, ...(param ? { param } : {}), ...(code ? { code, doc_url: docUrl(code) } : {}) },
    false,
  );
}

export function missingParam(param: string): StripeApiError {
  return invalidParam(`Missing required param: ${param}.`, param, "parameter_missing");
}

export function unknownParam(param: string): StripeApiError {
  return invalidParam(`Received unknown parameter: ${param}`, param, "parameter_unknown");
}

/** Real Stripe parameters the emulator deliberately refuses instead of silently ignoring. */
export function unsupportedParam(param: string, detail = ""): StripeApiError {
  return invalidParam(
    `The Stripe test emulator does not implement \`${param}\`${detail ? ` ${detail}` : ""}. See test/stripe-emulator/README.md.`,
    param,
    "emulator_unsupported_parameter",
  );
}

/** A 400 caused by the state of an object (saved for idempotency, like Stripe). */
export function invalidState(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, {
    type: "invalid_request_error",
    message,
    ...(param ? { param } : {}),
    ...(code ? { code, doc_url: docUrl(code) } : {}),
  });
}

/** `objectName` is Stripe's object name, e.g. "checkout.session" or "payment_intent". */
export function resourceMissing(objectName: string, id: string, param: string): StripeApiError {
  return new StripeApiError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    doc_url: docUrl("resource_missing"),
    message: `No such ${objectName}: '${id}'`,
    param,
  });
}

export function cardDeclined(): StripeApiError {
  return new StripeApiError(402, {
    type: "card_error",
    code: "card_declined",
    decline_code: "generic_decline",
    doc_url: docUrl("card_declined"),
    message: "Your card was declined.",
  });
}

export function idempotencyError(message: string): StripeApiError {
  return new StripeApiError(400, { type: "idempotency_error", message }, false);
}
