// Stripe's idempotency layer: the first result for a key is replayed for later requests with the
// same key and parameters; different parameters, or another endpoint, are an idempotency_error.
// Keys are forgotten after 24 hours.

import { idempotencyError } from "./errors";
import type { FormValue } from "./form-body";

export interface StoredResponse {
  status: number;
  body: string;
  requestId: string;
}

interface Entry {
  endpoint: string;
  params: string;
  response: StoredResponse;
  savedAt: number;
}

const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Order-insensitive for object keys, order-sensitive for arrays, like a parameter comparison. */
function canonical(value: FormValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  /** The saved response to replay, or undefined when the key is new. Throws on misuse. */
  lookup(key: string, endpoint: string, params: FormValue): StoredResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.savedAt > KEY_LIFETIME_MS) {
      this.entries.delete(key);
      return undefined;
    }
    if (entry.endpoint !== endpoint) {
      throw idempotencyError(
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${entry.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (entry.params !== canonical(params)) {
      throw idempotencyError(
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return entry.response;
  }

  save(key: string, endpoint: string, params: FormValue, response: StoredResponse): void {
    this.entries.set(key, { endpoint, params: canonical(params), response, savedAt: this.now() });
  }
}
