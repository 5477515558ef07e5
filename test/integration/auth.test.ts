import { describe, expect, it, vi } from "vitest";
import { inviteUser, requestPasswordReset, setPasswordWithToken } from "~/domain/accounts.server";
import { loader as adminLoader } from "~/routes/admin";
import { loader as auditLoader } from "~/routes/admin.audit";
import { action as loginAction } from "~/routes/login";
import { action as teamAction, loader as teamLoader } from "~/routes/admin.users";
import { logIn, userFromRequest } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { TEST_ADMIN } from "../support/constants";
import { cookieFor, request, statusOf, TEST_PASSWORD, userWithRole } from "../support/auth";
import { args, settle } from "../support/outcomes";
import { useAppServer } from "../support/app-server";
import { sendRequest } from "../support/http";

const asClient = (req: Request) => args(req, {}, { clientIp: "203.0.113.7" });
const app = useAppServer();

describe("logging in", () => {
  it("lets the organiser in with the right password and keeps only a session id in the cookie", async () => {
    const response = (await loginAction(asClient(request("/login", { form: { email: TEST_ADMIN.email, password: TEST_ADMIN.password } })))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/admin");
    const cookie = response.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const user = await userFromRequest(request("/admin", { cookie: cookie.split(";")[0] }));
    expect(user?.email).toBe(TEST_ADMIN.email);
    expect(cookie).not.toContain(user!.id);
  });

  it("shows the login page again after a wrong password, still returning to the page asked for", async () => {
    const body = new URLSearchParams({ email: TEST_ADMIN.email, password: "not the password", redirectTo: "/admin/orders" }).toString();
    const answer = await sendRequest(app.port, "/login?redirectTo=%2Fadmin%2Forders", {
      headers: { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "198.51.100.9" },
      body,
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toContain("That email and password do not match an account.");
    expect(answer.body).toMatch(/<input[^>]* name="redirectTo"[^>]* value="\/admin\/orders"/);
    // Found by the fuzz: the hidden field had a value and a default, and React logged an error.
    expect(vi.mocked(console.error)).not.toHaveBeenCalled();
  });

  it("sends an anonymous visitor to the login page, with the page to return to unless its address is very long", async () => {
    const short = await sendRequest(app.port, "/admin/orders?q=rhea", { method: "GET" });
    expect(short.status).toBe(302);
    expect(short.headers.location).toBe("/login?redirectTo=%2Fadmin%2Forders%3Fq%3Drhea");
    // Found by the fuzz: escaped again, a long address made a Location header over Node's 16 KB.
    const long = await sendRequest(app.port, `/admin/orders?q=${"%F0%9F%98%80".repeat(600)}`, { method: "GET" });
    expect(long.status).toBe(302);
    expect(long.headers.location).toBe("/login");
  });

  it("says the same thing for a wrong password and an unknown account", async () => {
    const wrong = await logIn(TEST_ADMIN.email, "not the password", "198.51.100.1");
    const unknown = await logIn("nobody@example.com", "whatever", "198.51.100.1");
    expect(wrong).toEqual({ ok: false, message: "That email and password do not match an account." });
    expect(unknown).toEqual(wrong);
  });

  it("never counts successful logins: forty staff behind one venue address all get in", async () => {
    const staff = await userWithRole("CHECKIN");
    for (let i = 0; i < 40; i++) expect(await logIn(staff.email, TEST_PASSWORD, "198.51.100.20")).toMatchObject({ ok: true });
  });

  it("locks one account from one address after repeated wrong passwords, even for the right one, until the wait ends", async () => {
    const target = await userWithRole("ORGANISER");
    const address = "198.51.100.30";
    for (let i = 0; i < 8; i++) expect(await logIn(target.email, `guess ${i}`, address)).toEqual({ ok: false, message: "That email and password do not match an account." });
    const locked = await logIn(target.email, TEST_PASSWORD, address);
    expect(locked).toMatchObject({ ok: false, retryAfter: expect.any(Number), message: expect.stringMatching(/^Too many failed attempts\. Please wait 15 minutes/) });
    // The same person from another address, and a colleague from the same one, are not locked out.
    expect(await logIn(target.email, TEST_PASSWORD, "198.51.100.31")).toMatchObject({ ok: true });
    const colleague = await userWithRole("CHECKIN");
    expect(await logIn(colleague.email, TEST_PASSWORD, address)).toMatchObject({ ok: true });
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 15 * 60_000 + 1_000);
      expect(await logIn(target.email, TEST_PASSWORD, address)).toMatchObject({ ok: true });
    } finally {
      vi.useRealTimers();
    }
  });

  it("clears an account's failures when it logs in, and limits an address trying many accounts", async () => {
    const user = await userWithRole("SPONSOR", (await db().sponsor.findFirstOrThrow()).id);
    const address = "198.51.100.40";
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 7; i++) expect(await logIn(user.email, "typo", address)).toMatchObject({ ok: false, message: expect.stringContaining("do not match") });
      expect(await logIn(user.email, TEST_PASSWORD, address)).toMatchObject({ ok: true });
    }
    // 14 failures so far from this address; a guesser cycling through accounts reaches 30.
    for (let i = 14; i < 30; i++) expect(await logIn(`guess-${i}@example.com`, "guess", address)).toMatchObject({ ok: false, message: expect.stringContaining("do not match") });
    expect(await logIn(user.email, TEST_PASSWORD, address)).toMatchObject({ ok: false, retryAfter: expect.any(Number), message: expect.stringMatching(/^Too many failed attempts/) });
    expect(await logIn(user.email, TEST_PASSWORD, "198.51.100.41")).toMatchObject({ ok: true });
  });

  it("refuses a login form posted from another site", async () => {
    const forged = new Request("http://localhost:3000/login", {
      method: "POST",
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }),
    });
    expect(await statusOf(() => loginAction(asClient(forged)))).toBe(403);
  });
});

describe("permissions", () => {
  it("sends anonymous visitors to the login page and refuses the wrong role", async () => {
    expect(await statusOf(() => adminLoader(asClient(request("/admin"))))).toBe(302);
    const { cookie: sponsor } = await cookieFor("SPONSOR", (await db().sponsor.findFirstOrThrow()).id);
    expect(await statusOf(() => adminLoader(asClient(request("/admin", { cookie: sponsor }))))).toBe(403);
    const { cookie: door } = await cookieFor("CHECKIN");
    expect(await statusOf(() => adminLoader(asClient(request("/admin", { cookie: door }))))).toBe(200);
    expect(await statusOf(() => auditLoader(asClient(request("/admin/audit", { cookie: door }))))).toBe(403);
    const { cookie: organiser } = await cookieFor("ORGANISER");
    expect(await statusOf(() => auditLoader(asClient(request("/admin/audit", { cookie: organiser }))))).toBe(200);
    expect(await statusOf(() => teamLoader(asClient(request("/admin/users", { cookie: organiser }))))).toBe(403);
  });
});

describe("invitations and resets", () => {
  it("invites a sponsor user who sets a password once from the emailed link", async () => {
    const { cookie, user: admin } = await cookieFor("ADMIN");
    const sponsor = await db().sponsor.findFirstOrThrow();
    const result = await teamAction(asClient(request("/admin/users", { cookie, form: { email: "Lead.Person@Sponsor.example", name: "Lead Person", role: "SPONSOR", sponsorId: sponsor.id } })));
    expect(await statusOf(async () => result)).toBe(200);
    const email = await db().emailOutbox.findFirstOrThrow({ where: { template: "invitation", toAddress: "lead.person@sponsor.example" } });
    const token = (email.payload as { token: string }).token;
    const invited = await setPasswordWithToken(token, "a brand new password", new Date());
    expect(invited.email).toBe("lead.person@sponsor.example");
    await expect(setPasswordWithToken(token, "another new password", new Date())).rejects.toThrow("expired or was already used");
    expect(await logIn("lead.person@sponsor.example", "a brand new password", "192.0.2.1")).toMatchObject({ ok: true });
    expect(await db().auditLog.count({ where: { action: "user.invited", actorId: admin.id } })).toBe(1);
    expect(await statusOf(() => teamAction(asClient(request("/admin/users", { cookie, form: { email: "x@y.example", name: "X", role: "SPONSOR" } }))))).toBe(409);
  });

  it("refuses an invitation naming a sponsor that does not exist, changing nothing", async () => {
    const { cookie } = await cookieFor("ADMIN");
    const invite = (sponsorId: string, role = "SPONSOR") =>
      settle(() => teamAction(asClient(request("/admin/users", { cookie, form: { email: "ghost@sponsor.example", name: "Ghost", role, sponsorId } }))));
    for (const outcome of [await invite("no-such-sponsor"), await invite("no-such-sponsor", "CHECKIN")]) {
      expect(outcome.status).toBe(409);
      expect((outcome.body as { result: { error: Record<string, string[]> } }).result.error).toEqual({
        sponsorId: ["That sponsor does not exist (it may have just been deleted). Reload the page and choose a sponsor from the list."],
      });
    }
    expect(await db().user.count({ where: { email: "ghost@sponsor.example" } })).toBe(0);
    expect(await db().emailOutbox.count({ where: { toAddress: "ghost@sponsor.example" } })).toBe(0);
  });

  it("a password reset logs out every session of that account", async () => {
    const user = await userWithRole("ORGANISER");
    const first = await logIn(user.email, TEST_PASSWORD, "192.0.2.2");
    expect(first.ok).toBe(true);
    await requestPasswordReset(user.email, new Date());
    const email = await db().emailOutbox.findFirstOrThrow({ where: { template: "password-reset", toAddress: user.email } });
    await setPasswordWithToken((email.payload as { token: string }).token, "reset to this password", new Date());
    const cookie = first.ok ? first.cookie.split(";")[0] : "";
    expect(await userFromRequest(request("/admin", { cookie }))).toBeNull();
    await requestPasswordReset("nobody@nowhere.example", new Date());
    expect(await db().emailOutbox.count({ where: { toAddress: "nobody@nowhere.example" } })).toBe(0);
  });
});
