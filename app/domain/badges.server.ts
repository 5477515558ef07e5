// Name badges: one per valid ticket, for everyone, one ticket type or one person, as sheets of six
// 4 × 3 in inserts or as single labels for the printer at the door. Each carries the name (large,
// fitted to its box with the real font's widths), the company, the ticket type on a band of the
// type's colour, and the ticket's QR code and short code, which sponsors scan at their booths.
import { COMPANY_BOX, NAME_BOX, TYPE_BOX } from "../../documents/badge-layout";
import type { BadgeView } from "../../documents/badges";
import type { Prisma } from "~/generated/prisma/client";
import { audit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { fontFamiliesFor, textMeasure, type FontWeight } from "~/services/pdf-fonts.server";
import { renderPdf } from "~/services/pdf.server";
import { qrPng } from "~/services/qr-png.server";
import { fail } from "./errors";
import { fitText, type FitBox } from "./text-fit";

export type BadgeLayout = "sheet" | "label";
export type BadgeSelection = { kind: "all" } | { kind: "type"; ticketTypeId: string } | { kind: "ticket"; ticketId: string };

/**
 * Band colours, given to ticket types in the order they were created, so a type keeps its colour
 * however the list is reordered or renamed, and badges printed weeks apart match. Distinct for
 * colour-blind eyes as far as ten colours can be; the band also names the type.
 */
export const BAND_COLOURS = ["#4a2ea0", "#0072b2", "#d55e00", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#f0e442", "#1d1830", "#8c8c8c"] as const;

/** Dark text on light colours, white on dark ones: whichever contrasts more (WCAG's relative luminance). */
export function bandForeground(background: string) {
  const channel = (i: number) => {
    const c = parseInt(background.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // White's contrast (1.05 / (L + 0.05)) against the ink's (#1d1830, L ≈ 0.012).
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.062 ? "#ffffff" : "#1d1830";
}

/** The band colour of each of the event's ticket types, by id. */
export async function ticketTypeColours(eventId: string) {
  const types = await db().ticketType.findMany({ where: { eventId }, select: { id: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return new Map(types.map((t, i) => [t.id, BAND_COLOURS[i % BAND_COLOURS.length]!]));
}

const badgeTicketSelect = {
  id: true,
  name: true,
  company: true,
  status: true,
  qrCode: true,
  shortCode: true,
  ticketType: { select: { id: true, name: true, slug: true } },
} satisfies Prisma.TicketSelect;

/** The tickets to print and what to call the printout; a selection that prints nothing is refused. */
async function ticketsFor(eventId: string, selection: BadgeSelection) {
  const inEvent = { ticketType: { eventId } };
  const valid = { ...inEvent, status: "VALID" as const };
  const orderBy = [{ name: "asc" as const }, { id: "asc" as const }];
  switch (selection.kind) {
    case "all": {
      const tickets = await db().ticket.findMany({ where: valid, select: badgeTicketSelect, orderBy });
      if (tickets.length === 0) fail("badges.none-valid", "yet");
      return { tickets, title: "all attendees", file: "all" };
    }
    case "type": {
      const type = await db().ticketType.findFirst({ where: { id: selection.ticketTypeId, eventId }, select: { id: true, name: true, slug: true } });
      if (!type) fail("badges.unknown-type");
      const tickets = await db().ticket.findMany({ where: { ...valid, ticketTypeId: type.id }, select: badgeTicketSelect, orderBy });
      if (tickets.length === 0) fail("badges.none-valid", `of ${type.name}`);
      return { tickets, title: type.name, file: type.slug };
    }
    case "ticket": {
      const ticket = await db().ticket.findFirst({ where: { ...inEvent, id: selection.ticketId }, select: badgeTicketSelect });
      if (!ticket) fail("badges.unknown-ticket");
      if (ticket.status !== "VALID") fail("badges.ticket-not-valid", ticket.name, ticket.status);
      return { tickets: [ticket], title: ticket.name, file: ticket.shortCode };
    }
  }
}

/**
 * Text measured a little wide: the renderer lays out runs by script as well as by font, and kerning
 * across a run's edge can make a line a fraction of a point longer than measured here.
 */
const SAFETY = 1.02;

/** The badges of `selection` as a PDF, its file name and how many badges it holds. Printing is audited: badges carry QR secrets. */
export async function badgesPdf(event: { id: string; shortName: string }, selection: BadgeSelection, layout: BadgeLayout, actorId: string) {
  const { tickets, title, file } = await ticketsFor(event.id, selection);
  const colours = await ticketTypeColours(event.id);
  const measure = await textMeasure(fontFamiliesFor(tickets.flatMap((t) => [t.name, t.company, t.ticketType.name]).join(" ")));
  const fit = (text: string, box: FitBox, weight: FontWeight) => fitText(text, box, (s, size) => measure(s, size, weight) * SAFETY);
  const badges: BadgeView[] = tickets.map((t) => {
    const background = colours.get(t.ticketType.id)!;
    return {
      id: t.id,
      name: fit(t.name, NAME_BOX, 700),
      company: t.company.trim() ? fit(t.company, COMPANY_BOX, 400) : null,
      ticketType: fit(t.ticketType.name, TYPE_BOX, 700),
      band: { background, foreground: bandForeground(background) },
      // Black on white, 8 px a module: sharp at any printer's resolution on a 1.1 in code.
      qrPng: qrPng(t.qrCode, { scale: 8, margin: 2, dark: "#000000" }),
      shortCode: t.shortCode,
    };
  });
  const pdf = await renderPdf("badges", { layout, title: `${event.shortName} badges: ${title}`, eventName: event.shortName, badges });
  await audit(db(), {
    action: "badges.printed",
    subject: selection.kind === "ticket" ? `ticket:${selection.ticketId}` : selection.kind === "type" ? `ticket-type:${selection.ticketTypeId}` : `event:${event.id}`,
    actorId,
    after: { layout, badges: badges.length },
  });
  return { pdf, filename: `badges-${file}-${layout}.pdf`, count: badges.length };
}

/** What the badges page offers: every ticket type with its valid tickets, and the total. */
export async function badgeChoices(eventId: string) {
  const [types, counts] = await Promise.all([
    db().ticketType.findMany({ where: { eventId }, select: { id: true, name: true }, orderBy: [{ position: "asc" }, { name: "asc" }] }),
    db().ticket.groupBy({ by: ["ticketTypeId"], where: { ticketType: { eventId }, status: "VALID" }, _count: { _all: true } }),
  ]);
  const valid = new Map(counts.map((c) => [c.ticketTypeId, c._count._all]));
  const withCounts = types.map((t) => ({ ...t, valid: valid.get(t.id) ?? 0 }));
  return { types: withCounts, total: withCounts.reduce((sum, t) => sum + t.valid, 0) };
}
