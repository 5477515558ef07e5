// Who is asking, and may they? Organisers, door staff and sponsors log in with email and
// password; the session lives in the database (revocable) and the cookie holds only its id.
import { createHash, randomBytes } from "node:crypto";
import { createCookie, data, redirect } from "@remix-run/node";
import type { Role } from "~/generated/prisma/enums";
import { db } from "./db.server";
import { env } from "./env.server";
import { hashPassword, verifyPassword } from "./password.server";
import { countAttempt, RateLimit } from "./rate-limit.server";

const SESSION_DAYS = 14;
/** The longest login address with the page to return to, within what browsers and proxies take. */
const MAX_LOGIN_ADDRESS = 2048;

export type Permission =
  | "admin:access"
  | "agenda:write"
  | "content:write"
  | "tickets:write"
  | "orders:read"
  | "orders:write"
  | "exports:read"
  | "emails:read"
  | "audit:read"
  | "users:manage"
  | "settings:manage"
  | "checkin:scan"
  | "sponsors:review"
  | "leads:all"
  | "sponsor:portal"
  | "messages:send"
  | "privacy:manage";

const organiser: Permission[] = [
  "admin:access",
  "agenda:write",
  "content:write",
  "tickets:write",
  "orders:read",
  "orders:write",
  "exports:read",
  "emails:read",
  "audit:read",
  "checkin:scan",
  "sponsors:review",
  "leads:all",
  "messages:send",
];

/**
 * What each role may do. ADMIN is an organiser who also manages the team's accounts, the event
 * settings and privacy requests (a person's whole data, and erasing it).
 */
const grants: Record<Role, ReadonlySet<Permission>> = {
  ADMIN: new Set([...organiser, "users:manage", "settings:manage", "privacy:manage"]),
  ORGANISER: new Set(organiser),
  CHECKIN: new Set(["checkin:scan"]),
  SPONSOR: new Set(["sponsor:portal"]),
};

export type SessionUser = { id: string; email: string; name: string; role: Role; sponsorId: string | null; sessionId: string };

export const can = (user: Pick<SessionUser, "role">, permission: Permission) => grants[user.role].has(permission);

/** Where a person lands after logging in. */
export function homeFor(user: Pick<SessionUser, "role">) {
  if (user.role === "SPONSOR") return "/sponsor";
  if (user.role === "CHECKIN") return "/admin/check-in";
  return "/admin";
}

let cookie: ReturnType<typeof createCookie> | undefined;
function sessionCookie() {
  cookie ??= createCookie("re3m_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: env().NODE_ENV === "production",
    path: "/",
    maxAge: SESSION_DAYS * 24 * 3600,
    secrets: [env().SESSION_SECRET],
  });
  return cookie;
}

async function sessionIdFrom(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

export async function userFromRequest(request: Request): Promise<SessionUser | null> {
  const sessionId = await sessionIdFrom(request);
  if (!sessionId) return null;
  const session = await db().authSession.findUnique({
    where: { id: sessionId },
    select: { expiresAt: true, user: { select: { id: true, email: true, name: true, role: true, sponsorId: true } } },
  });
  if (!session || session.expiresAt <= new Date()) return null;
  return { ...session.user, sessionId };
}

/**
 * The first line of every protected loader and action. Anonymous visitors go to the login page
 * (and come back after); a logged-in person without the permission gets a 403 page. Changes must
 * come from our own pages: a form posted from another site is refused.
 */
export async function requireUser(request: Request, permission: Permission): Promise<SessionUser> {
  if (request.method !== "GET" && request.method !== "HEAD") assertSameOrigin(request);
  const user = await userFromRequest(request);
  if (!user) {
    const url = new URL(request.url);
    const login = `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`;
    // An address of thousands of characters, escaped again, made a Location header larger than
    // proxies (and Node's own HTTP client) accept: such a visitor logs in to their home page.
    throw redirect(login.length <= MAX_LOGIN_ADDRESS ? login : "/login");
  }
  if (!can(user, permission)) {
    // A Response rather than data(): a resource route (a CSV download, the booth's scan endpoint)
    // passes a thrown Response on as it is, but logs a thrown data() as a server error and answers
    // it with "Unexpected Server Error". Pages read the message from either.
    throw Response.json({ message: "Your account does not have access to this page. Ask an organiser if you need it." }, { status: 403 });
  }
  return user;
}

export function assertSameOrigin(request: Request) {
  const expected = new URL(env().APP_URL).origin;
  const origin = request.headers.get("Origin");
  const site = request.headers.get("Sec-Fetch-Site");
  const fromUs = origin ? origin === expected || origin === new URL(request.url).origin : site === null || site === "same-origin" || site === "none";
  if (!fromUs) throw data({ message: "This form was sent from another site, so it was refused." }, { status: 403 });
}

export async function startSession(userId: string): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await db().authSession.create({ data: { id, userId, expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 3600_000) } });
  return sessionCookie().serialize(id);
}

export async function endSession(request: Request): Promise<string> {
  const sessionId = await sessionIdFrom(request);
  if (sessionId) await db().authSession.deleteMany({ where: { id: sessionId } });
  return sessionCookie().serialize("", { maxAge: 0 });
}

/** Logs out everywhere (password changed or reset, account removed), except maybe this session. */
export function revokeSessions(userId: string, keepSessionId?: string) {
  return db().authSession.deleteMany({ where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } });
}

// Only failed logins count, so staff behind one venue address never lock each other out by
// logging in. A few failures lock one account from one address; an address trying many accounts
// gets a larger allowance. The lock ends with its 15-minute window; a success clears the account's.
// Counted in the shared store, so failures on every instance add up (rate-limit.server.ts).
const failuresPerAccount = new RateLimit({ keyPrefix: "login-failures-account", points: 8, duration: 15 * 60 });
const failuresPerClient = new RateLimit({ keyPrefix: "login-failures-client", points: 30, duration: 15 * 60 });
// Verifying against a real hash when the account does not exist keeps the timing the same.
let decoyHash: Promise<string> | undefined;

export type LoginResult = { ok: true; user: SessionUser; cookie: string } | { ok: false; message: string; retryAfter?: number };

export async function logIn(email: string, password: string, clientIp: string): Promise<LoginResult> {
  const account = email.trim().toLowerCase();
  const accountKey = `${account} ${clientIp}`;
  // Counted as a failure until the password proves right, so parallel guesses cannot pass the
  // limit. An attempt refused for one locked account does not use up the address's allowance.
  let wait = await countAttempt(failuresPerClient, clientIp);
  if (wait === 0) {
    wait = await countAttempt(failuresPerAccount, accountKey);
    if (wait > 0) await failuresPerClient.reward(clientIp);
  }
  if (wait > 0) return { ok: false, retryAfter: wait, message: tooManyFailures(wait) };
  const user = await db().user.findUnique({
    where: { email: account },
    select: { id: true, email: true, name: true, role: true, sponsorId: true, passwordHash: true },
  });
  decoyHash ??= hashPassword(randomBytes(16).toString("hex"));
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash), password);
  if (!user || !user.passwordHash || !valid) return { ok: false, message: "That email and password do not match an account." };
  await Promise.all([failuresPerAccount.delete(accountKey), failuresPerClient.reward(clientIp)]);
  const cookieHeader = await startSession(user.id);
  const { passwordHash: _hash, ...rest } = user;
  return { ok: true, user: { ...rest, sessionId: "" }, cookie: cookieHeader };
}

function tooManyFailures(seconds: number) {
  const minutes = Math.ceil(seconds / 60);
  return `Too many failed attempts. Please wait ${minutes} ${minutes === 1 ? "minute" : "minutes"} and try again, or reset your password.`;
}

/** Safe place to go after login: only paths on this site. */
export function safeRedirect(to: string | null | undefined, fallback: string) {
  if (!to || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
