// The sponsor portal's pages all act for the sponsor the signed-in person works for.
import { messages, type Rule } from "~/domain/errors";
import type { ScanOutcome } from "~/domain/leads.server";

/** The sponsor a portal user works for; an account without one sees no sponsor's data (403). */
export function sponsorOf(user: { sponsorId: string | null }): string {
  // A Response, as requireUser's refusal: the portal's CSV and scan endpoint are resource routes.
  if (!user.sponsorId) throw Response.json({ message: messages["sponsor.account-unlinked"]() }, { status: 403 });
  return user.sponsorId;
}

const limited = new Set<Rule>(["lead.scan-too-fast", "lead.too-many-misses"]);

/** A booth scan as HTTP: 429 while scanning too fast or after many misses, 404 for a code that matches no badge. */
export function scanAnswer(outcome: ScanOutcome) {
  if (outcome.ok) return { body: outcome, status: 200 };
  const status = limited.has(outcome.rule) ? 429 : 404;
  return { body: { ok: false as const, status, message: outcome.message }, status };
}
