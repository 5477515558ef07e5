// What a door device keeps for working offline (ADR 0016), in localStorage: its id, the signed
// ticket list of the edition, and the check-ins it made offline until the server has them. Each
// check-in carries an id made here, so sending it twice (a cut-off answer, two tabs) records it once.
import { doorKey } from "./door-storage";
import { doorListSchema, MAX_REPLAY_BATCH, QR_DIGEST_CHARS, typedShortCode, type Admission, type DoorList, type DoorListTicket, type SignedDoorList } from "~/validation/door";

/** Whose list and queue: one account on one edition. */
export type DoorScope = { userId: string; eventId: string };

export type QueuedAdmission = Admission & { name: string };
type StoredList = SignedDoorList & { syncedAt: string };

const key = doorKey;

function read<T>(name: string, fallback: T): T {
  try {
    const text = localStorage.getItem(name);
    return text === null ? fallback : (JSON.parse(text) as T);
  } catch {
    return fallback;
  }
}

const DEVICE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

/** This device's id, made on first use: "K7Q2" in "also admitted on device K7Q2". */
export function deviceId(): string {
  const known = localStorage.getItem("re3m.door.device");
  if (known && /^[A-Z0-9]{4,12}$/.test(known)) return known;
  const made = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => DEVICE_ALPHABET[b % DEVICE_ALPHABET.length]).join("");
  localStorage.setItem("re3m.door.device", made);
  return made;
}

export const storedList = (scope: DoorScope) => read<StoredList | null>(key("list", scope), null);

export function storeList(scope: DoorScope, signed: SignedDoorList, syncedAt: Date) {
  localStorage.setItem(key("list", scope), JSON.stringify({ ...signed, syncedAt: syncedAt.toISOString() } satisfies StoredList));
}

const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const toBase64url = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/**
 * The list, once its signature is checked with this session's key and it is this account's list of
 * this edition; null for a copy changed on the device, another account's, or one this browser
 * cannot check (crypto.subtle needs HTTPS).
 */
export async function verifiedList(signed: SignedDoorList | null, listKey: string, scope: DoorScope): Promise<DoorList | null> {
  if (!signed || !crypto.subtle) return null;
  try {
    const cryptoKey = await crypto.subtle.importKey("raw", fromBase64url(listKey), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    const valid = await crypto.subtle.verify("HMAC", cryptoKey, fromBase64url(signed.signature), new TextEncoder().encode(signed.body));
    if (!valid) return null;
    const list = doorListSchema.safeParse(JSON.parse(signed.body));
    return list.success && list.data.userId === scope.userId && list.data.eventId === scope.eventId ? list.data : null;
  } catch {
    return null;
  }
}

async function qrDigest(code: string) {
  return toBase64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code))).slice(0, QR_DIGEST_CHARS);
}

/** The ticket a scanned QR code or typed badge code names, as the server's ticketCodeWhere matches it. */
export async function findByCode(list: DoorList, code: string): Promise<DoorListTicket | undefined> {
  const short = typedShortCode(code);
  const digest = await qrDigest(code.trim());
  return list.tickets.find((t) => t.qr === digest || (short !== null && t.code === short));
}

const folded = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** Tickets whose name, company or badge code matches, as the server's search does (without emails, which the list leaves out). */
export function searchList(list: DoorList, query: string, take = 20): DoorListTicket[] {
  const q = folded(query.trim());
  if (q.length < 2) return [];
  return list.tickets.filter((t) => folded(t.name).includes(q) || folded(t.company).includes(q) || t.code === query.trim().toUpperCase()).slice(0, take);
}

export const queuedAdmissions = (scope: DoorScope) => read<QueuedAdmission[]>(key("queue", scope), []);

export function queueAdmission(scope: DoorScope, ticket: { id: string; name: string }, at: Date): QueuedAdmission {
  const admission = { clientId: crypto.randomUUID(), ticketId: ticket.id, scannedAt: at.toISOString(), name: ticket.name };
  localStorage.setItem(key("queue", scope), JSON.stringify([...queuedAdmissions(scope), admission]));
  return admission;
}

function dropAdmissions(scope: DoorScope, clientIds: Set<string>) {
  localStorage.setItem(key("queue", scope), JSON.stringify(queuedAdmissions(scope).filter((a) => !clientIds.has(a.clientId))));
}

/** What the server said about a sent check-in (route-helpers/door.server.ts presentReplay). */
export type Report = { clientId: string; outcome: string; tone: "ok" | "warn" | "danger"; title: string; name: string | null; message: string };

const REPORTS_KEPT = 20;
export const storedReports = (scope: DoorScope) => read<Report[]>(key("reports", scope), []);

function keepReports(scope: DoorScope, reports: Report[]) {
  localStorage.setItem(key("reports", scope), JSON.stringify([...reports, ...storedReports(scope)].slice(0, REPORTS_KEPT)));
}

export type SendOutcome =
  | { sent: true; reports: Report[] }
  /** No answer: the connection is down (or the server is), the queue waits. */
  | { sent: false; reason: "offline" }
  /** The session ended: the queue waits for the next login on this device. */
  | { sent: false; reason: "login" }
  | { sent: false; reason: "refused"; message: string };

/**
 * Sends the queue in batches and drops what the server answered. What it did not answer stays for
 * the next attempt: a check-in is only ever dropped once the server has recorded (or refused) it.
 */
export async function sendQueue(scope: DoorScope, device: string): Promise<SendOutcome> {
  const reports: Report[] = [];
  for (;;) {
    const batch = queuedAdmissions(scope).slice(0, MAX_REPLAY_BATCH);
    if (batch.length === 0) return { sent: true, reports };
    let response: Response;
    try {
      const entries = JSON.stringify(batch.map(({ clientId, ticketId, scannedAt }) => ({ clientId, ticketId, scannedAt })));
      response = await fetch("/admin/check-in/replay", { method: "POST", body: new URLSearchParams({ deviceId: device, entries }), redirect: "manual" });
    } catch {
      return { sent: false, reason: "offline" };
    }
    // A redirect (to the login page) comes back opaque; a 403 is another account's session.
    if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) return { sent: false, reason: "login" };
    if (response.status >= 500) return { sent: false, reason: "offline" };
    const answer = (await response.json().catch(() => null)) as { ok: boolean; message?: string; results?: Report[] } | null;
    if (!answer?.ok || !answer.results) return { sent: false, reason: "refused", message: answer?.message ?? `The server refused the check-ins (${response.status}).` };
    const answered = new Set(answer.results.map((r) => r.clientId));
    if (!batch.some((a) => answered.has(a.clientId))) return { sent: false, reason: "refused", message: "The server answered none of the queued check-ins." };
    dropAdmissions(scope, answered);
    keepReports(scope, answer.results);
    reports.push(...answer.results);
  }
}
