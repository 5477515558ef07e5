// What the badges PDF prints (/admin/badges.pdf): everyone, one ticket type or one ticket, as
// sheets or labels. A query string, shared by the page's links and form and by the PDF route.
import * as z from "./zod";

export const BADGE_LAYOUTS = ["sheet", "label"] as const;
export type BadgeLayoutChoice = (typeof BADGE_LAYOUTS)[number];

export const badgeLayoutLabels: Record<BadgeLayoutChoice, { title: string; hint: string }> = {
  sheet: { title: "Sheets of six", hint: "4 × 3 in badge inserts on US letter (Avery 5392 and compatible)" },
  label: { title: "Single labels", hint: "One 4 × 3 in label per badge, for a label printer at the door" },
};

const id = z.string().check(z.trim(), z.maxLength(40), z.regex(/^[A-Za-z0-9_-]+$/, "That is not an id of this site."));

export const badgeQuerySchema = z.pipe(
  z
    .object({
      /** "all", or a ticket type's id. */
      type: z.optional(z.union([z.literal("all"), id])),
      ticket: z.optional(id),
      layout: z._default(z.enum(BADGE_LAYOUTS, { error: "Choose sheets or single labels." }), "sheet"),
    })
    .check(z.refine((q) => (q.type === undefined) !== (q.ticket === undefined), { error: "Choose whose badges to print: everyone, one ticket type or one person." })),
  z.transform(({ type, ticket, layout }) => ({
    layout,
    selection: ticket ? ({ kind: "ticket", ticketId: ticket } as const) : type === "all" ? ({ kind: "all" } as const) : ({ kind: "type", ticketTypeId: type! } as const),
  })),
);

/** The query string of a badges PDF. */
export function badgesPdfHref(who: { type: string } | { ticket: string }, layout: BadgeLayoutChoice) {
  return `/admin/badges.pdf?${new URLSearchParams({ ...who, layout })}`;
}
