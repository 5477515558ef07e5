// Logged-in requests for loader and action tests: a user of the given role with a real session.
import { randomUUID } from "node:crypto";
import type { Role } from "~/generated/prisma/enums";
import { startSession } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { hashPassword } from "~/services/password.server";

export const TEST_PASSWORD = "correct horse battery staple";

export async function userWithRole(role: Role, sponsorId: string | null = null) {
  const email = `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@test.example`;
  return db().user.create({
    data: { email, name: `Test ${role.toLowerCase()}`, role, sponsorId, passwordHash: await hashPassword(TEST_PASSWORD) },
  });
}

/** The Cookie header of a fresh session for a new user with this role. */
export async function cookieFor(role: Role, sponsorId: string | null = null) {
  const user = await userWithRole(role, sponsorId);
  const setCookie = await startSession(user.id);
  return { user, cookie: setCookie.split(";")[0]! };
}

/** A request as a browser on our own site would send it (same origin, with the session cookie). */
export function request(path: string, init: { cookie?: string; method?: string; form?: Record<string, string> } = {}) {
  const headers = new Headers({ Origin: "http://localhost:3000" });
  if (init.cookie) headers.set("Cookie", init.cookie);
  const body = init.form ? new URLSearchParams(init.form) : undefined;
  if (body) headers.set("Content-Type", "application/x-www-form-urlencoded");
  return new Request(`http://localhost:3000${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
}

/** Runs a loader or action and returns its HTTP status, whether it returned or threw. */
export async function statusOf(run: () => Promise<unknown>): Promise<number> {
  try {
    const result = await run();
    if (result instanceof Response) return result.status;
    const init = (result as { init?: ResponseInit | null } | null)?.init;
    return init?.status ?? 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    const init = (thrown as { init?: ResponseInit | null }).init;
    if (init?.status) return init.status;
    throw thrown;
  }
}
