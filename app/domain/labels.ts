import type { EditionStatus, SessionKind, TicketStatus } from "~/generated/prisma/enums";

export const sessionKindLabel: Record<SessionKind, string> = {
  KEYNOTE: "Keynote",
  TALK: "Talk",
  PANEL: "Panel",
  WORKSHOP: "Workshop",
  BREAK: "Break",
  NETWORKING: "Networking",
};

/** Breaks and networking are part of the day but not talks anyone presents. */
export const isIntermission = (kind: SessionKind) => kind === "BREAK" || kind === "NETWORKING";

export const ticketStatusLabel: Record<TicketStatus, string> = {
  VALID: "Valid",
  CANCELLED: "Cancelled",
  REFUNDED: "Refunded",
};

export const editionStatusLabel: Record<EditionStatus, string> = {
  DRAFT: "draft",
  PUBLIC: "public",
  ARCHIVED: "past",
};
