// Events and their delivery: every event is kept; deliveries are signed with the real scheme
// (the SDK's own generateTestHeaderString), retried on failure, and can be delayed, duplicated,
// dropped, held back and shuffled to exercise the app's webhook handling.

import { setMaxListeners } from "node:events";
import Stripe from "stripe";
import { newId, type EventCause } from "./state";

export interface StripeEvent {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface WebhookFaults {
  /** Deliver each event this many times (default 1). */
  duplicates?: number;
  /** Wait this long before the first attempt of each delivery. */
  delayMs?: number;
  /** Record the event but never deliver it (until `redeliver`). */
  drop?: boolean | ((event: StripeEvent) => boolean);
  /** `flushWebhooks()` delivers the queue in random order. */
  shuffle?: boolean;
}

export interface WebhookSettings {
  /** "immediate": deliver as events happen; "manual": queue until `flushWebhooks()`. */
  mode: "immediate" | "manual";
  /** Waits before each retry of a failed attempt; its length is the number of retries. */
  retryDelaysMs: number[];
  /** An attempt not answered within this long has failed (Stripe gives an endpoint 10 s). */
  attemptTimeoutMs: number;
}

export interface DeliveryRecord {
  eventId: string;
  type: string;
  /** 1 for the first attempt; 0 when nothing was sent (dropped, no endpoint, stopped). */
  attempt: number;
  status: number | null;
  ok: boolean;
  error: string | null;
  redelivery: boolean;
  at: number;
  /** How long the endpoint took to answer (or to fail); 0 when nothing was sent. */
  ms: number;
}

export interface WebhookOptions {
  url?: string;
  secret: string;
  now: () => number;
  log: (line: string) => void;
  settings: WebhookSettings;
}

// A client used only for its signing helper; it never makes a request.
const signer = new Stripe("sk_test_emulator_signer");

export class WebhookDispatcher {
  readonly settings: WebhookSettings;
  private url: string | undefined;
  private faults: Required<WebhookFaults> = { duplicates: 1, delayMs: 0, drop: false, shuffle: false };
  private readonly events: StripeEvent[] = [];
  private readonly queue: StripeEvent[] = [];
  private readonly records: DeliveryRecord[] = [];
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly sleepers = new Set<() => void>();
  private readonly aborter = new AbortController();
  private stopped = false;

  constructor(private readonly options: WebhookOptions) {
    this.url = options.url;
    this.settings = options.settings;
    // Every delivery in flight listens for stop(); a rush has thousands in flight, which is not
    // the leak Node warns about past ten listeners.
    setMaxListeners(0, this.aborter.signal);
  }

  setUrl(url: string | undefined): void {
    this.url = url;
  }

  setFaults(faults: WebhookFaults): void {
    this.faults = { ...this.faults, ...faults };
    if (!Number.isInteger(this.faults.duplicates) || this.faults.duplicates < 1) throw new RangeError("duplicates must be an integer ≥ 1");
    if (!(this.faults.delayMs >= 0)) throw new RangeError("delayMs must be ≥ 0");
  }

  currentFaults(): Required<WebhookFaults> {
    return { ...this.faults };
  }

  /** Creates the event, keeps it, and delivers or queues it. */
  record(type: string, object: object, cause: EventCause): StripeEvent {
    const event: StripeEvent = {
      id: newId("evt"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: Math.floor(this.options.now() / 1000),
      data: { object: object as Record<string, unknown> },
      livemode: false,
      pending_webhooks: this.url ? 1 : 0,
      request: { id: cause?.requestId ?? null, idempotency_key: cause?.idempotencyKey ?? null },
      type,
    };
    this.events.push(event);
    this.options.log(`event ${event.type} ${event.id}`);
    if (this.settings.mode === "manual") this.queue.push(event);
    else for (const copy of this.copies([event])) this.track(this.deliver(copy, false));
    return structuredClone(event);
  }

  list(): StripeEvent[] {
    return structuredClone(this.events);
  }

  find(id: string): StripeEvent | undefined {
    const event = this.events.find((candidate) => candidate.id === id);
    return event && structuredClone(event);
  }

  deliveries(): DeliveryRecord[] {
    return structuredClone(this.records);
  }

  queued(): number {
    return this.queue.length;
  }

  /** Delivers the queue (shuffled if asked, each event `duplicates` times), one after another. */
  async flush(): Promise<void> {
    const batch = this.copies(this.queue.splice(0));
    if (this.faults.shuffle) shuffle(batch);
    for (const event of batch) await this.track(this.deliver(event, false));
    await this.idle();
  }

  /** Sends one event once more, ignoring `drop`. */
  redeliver(id: string): Promise<DeliveryRecord> {
    const event = this.events.find((candidate) => candidate.id === id);
    if (!event) return Promise.reject(new Error(`No such event: ${id}`));
    return this.track(this.deliver(event, true));
  }

  /** Resolves when no delivery (including retries) is in progress. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  stop(): void {
    this.stopped = true;
    this.aborter.abort();
    for (const wake of this.sleepers) wake();
  }

  /** Applies `drop` and `duplicates`; dropped events are recorded as such. */
  private copies(events: StripeEvent[]): StripeEvent[] {
    const out: StripeEvent[] = [];
    for (const event of events) {
      const { drop } = this.faults;
      if (typeof drop === "function" ? drop(structuredClone(event)) : drop) {
        this.note(event, { attempt: 0, status: null, ok: false, error: "dropped (fault injection)", redelivery: false });
        continue;
      }
      for (let i = 0; i < this.faults.duplicates; i++) out.push(event);
    }
    return out;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inflight.add(promise);
    void promise.finally(() => this.inflight.delete(promise));
    return promise;
  }

  private async deliver(event: StripeEvent, redelivery: boolean): Promise<DeliveryRecord> {
    // Stripe sends pretty-printed JSON; the same bytes on every attempt, signed afresh each time.
    const payload = JSON.stringify(event, null, 2);
    await this.sleep(this.faults.delayMs);
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) return this.note(event, { attempt: 0, status: null, ok: false, error: "emulator stopped", redelivery });
      if (!this.url) return this.note(event, { attempt: 0, status: null, ok: false, error: "no webhook URL configured", redelivery });
      const result = await this.attempt(this.url, event, payload, attempt, redelivery);
      const retries = this.settings.retryDelaysMs;
      if (result.ok || attempt > retries.length) return result;
      await this.sleep(retries[attempt - 1]);
    }
  }

  private async attempt(url: string, event: StripeEvent, payload: string, attempt: number, redelivery: boolean): Promise<DeliveryRecord> {
    const signature = signer.webhooks.generateTestHeaderString({ payload, secret: this.options.secret });
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    // A timer and a listener of our own rather than AbortSignal.any([stop, AbortSignal.timeout()]):
    // on Node 20 that combined signal could be collected before its timeout fired, and a delivery
    // then waited as long as the endpoint took (seen: 25 s with a 10 s limit).
    const timeoutMs = this.settings.attemptTimeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const stop = () => controller.abort(new Error("emulator stopped"));
    this.aborter.signal.addEventListener("abort", stop, { once: true });
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json; charset=utf-8",
          "Stripe-Signature": signature,
          "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
        body: payload,
        signal: controller.signal,
      });
      await response.arrayBuffer(); // release the connection
      const ok = response.status >= 200 && response.status < 300;
      return this.note(event, { attempt, status: response.status, ok, error: ok ? null : `HTTP ${response.status}`, redelivery, ms: ms() });
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      return this.note(event, { attempt, status: null, ok: false, error: reason instanceof Error ? reason.message : String(reason), redelivery, ms: ms() });
    } finally {
      clearTimeout(timer);
      this.aborter.signal.removeEventListener("abort", stop);
    }
  }

  private note(event: StripeEvent, fields: Omit<DeliveryRecord, "eventId" | "type" | "at" | "ms"> & { ms?: number }): DeliveryRecord {
    const record: DeliveryRecord = { eventId: event.id, type: event.type, at: Date.now(), ms: 0, ...fields };
    this.records.push(record);
    this.options.log(
      `webhook ${event.type} ${event.id} attempt ${record.attempt}: ${record.ok ? record.status : (record.error ?? "failed")}`,
    );
    return record;
  }

  /** A wait that `stop()` cuts short, so a stopped emulator leaves no pending retry behind. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}
