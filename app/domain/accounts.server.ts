// Team and sponsor accounts: invitations, password resets and changes. Links carry a random token;
// only its hash is stored.
import { randomBytes } from "node:crypto";
import type { Role } from "~/generated/prisma/enums";
import { audit } from "~/services/audit.server";
import { hashToken, revokeSessions } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { enqueueEmail } from "~/services/outbox.server";
import { hashPassword, verifyPassword } from "~/services/password.server";
import { fail, failOn } from "./errors";
import { eventShortName } from "./event.server";

const INVITATION_DAYS = 7;
const RESET_HOURS = 1;

function newToken(now: Date, hours: number) {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + hours * 3600_000) };
}

export async function inviteUser(
  invitee: { email: string; name: string; role: Role; sponsorId?: string | null },
  actorId: string | null,
  now: Date,
) {
  const email = invitee.email.trim().toLowerCase();
  if (invitee.role === "SPONSOR" && !invitee.sponsorId) failOn("sponsorId", "account.sponsor-required");
  return db().$transaction(async (tx) => {
    if (invitee.sponsorId) {
      // FOR KEY SHARE: the sponsor cannot be deleted between this check and the account naming it.
      const [sponsor] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Sponsor" WHERE id = ${invitee.sponsorId} FOR KEY SHARE`;
      if (!sponsor) failOn("sponsorId", "account.sponsor-unknown");
    }
    const existing = await tx.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
    if (existing?.passwordHash) failOn("email", "account.exists", email);
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { name: invitee.name, role: invitee.role, sponsorId: invitee.sponsorId ?? null } })
      : await tx.user.create({ data: { email, name: invitee.name, role: invitee.role, sponsorId: invitee.sponsorId ?? null } });
    const { token, tokenHash, expiresAt } = newToken(now, INVITATION_DAYS * 24);
    await tx.passwordToken.create({ data: { userId: user.id, tokenHash, purpose: "INVITATION", expiresAt } });
    await audit(tx, { action: "user.invited", subject: `user:${user.id}`, actorId, after: { email, role: invitee.role, sponsorId: invitee.sponsorId ?? null } });
    await enqueueEmail(tx, {
      template: "invitation",
      to: email,
      subject: `You're invited to the ${await eventShortName(tx)} registration platform`,
      payload: { userId: user.id, token, expiresAt: expiresAt.toISOString() },
    });
    return user;
  });
}

/** Always answers the same way, so the form cannot be used to find out who has an account. */
export async function requestPasswordReset(email: string, now: Date) {
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, email: true, passwordHash: true } });
  if (!user?.passwordHash) return;
  const { token, tokenHash, expiresAt } = newToken(now, RESET_HOURS);
  await db().$transaction(async (tx) => {
    await tx.passwordToken.create({ data: { userId: user.id, tokenHash, purpose: "PASSWORD_RESET", expiresAt } });
    await audit(tx, { action: "user.password-reset-requested", subject: `user:${user.id}` });
    await enqueueEmail(tx, {
      template: "password-reset",
      to: user.email,
      subject: `Reset your ${await eventShortName(tx)} password`,
      payload: { userId: user.id, token, expiresAt: expiresAt.toISOString() },
    });
  });
}

export async function tokenHolder(token: string, now: Date) {
  const row = await db().passwordToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, purpose: true, expiresAt: true, usedAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  if (!row || row.usedAt || row.expiresAt <= now) return null;
  return row;
}

/** Sets the password from an invitation or reset link (once), and logs out every other session. */
export async function setPasswordWithToken(token: string, password: string, now: Date) {
  const row = await tokenHolder(token, now);
  if (!row) fail("account.link-invalid");
  const passwordHash = await hashPassword(password);
  await db().$transaction(async (tx) => {
    const used = await tx.passwordToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (used.count !== 1) fail("account.link-invalid");
    await tx.user.update({ where: { id: row.user.id }, data: { passwordHash } });
    await audit(tx, { action: row.purpose === "INVITATION" ? "user.invitation-accepted" : "user.password-reset", subject: `user:${row.user.id}`, actorId: row.user.id });
  });
  await revokeSessions(row.user.id);
  return row.user;
}

export async function changePassword(userId: string, sessionId: string, current: string, next: string) {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, current))) failOn("current", "account.wrong-password");
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(next) } });
    await audit(tx, { action: "user.password-changed", subject: `user:${userId}`, actorId: userId });
  });
  // Everywhere else is logged out; this browser stays in.
  await revokeSessions(userId, sessionId);
}
