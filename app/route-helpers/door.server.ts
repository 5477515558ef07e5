// What the door's staff read after a scan, online or when a device's queued check-ins are sent:
// one wording for both, in the event's own time zone.
import type { CheckInResult, DoorTicket } from "~/domain/check-in.server";
import type { ReplayResult } from "~/domain/door-offline.server";
import { formatTimeWithZone as doorTime } from "~/domain/time";
import { deviceLabel } from "~/validation/door";

/** "Also admitted at 9:44 a.m. EDT on device B2XM (Sam Door)", for each admission after the first. */
export function laterAdmissions(ticket: DoorTicket, timeZone: string): string[] {
  return ticket.admissions.slice(1).map((a) => `Also admitted at ${doorTime(a.at, timeZone)} on ${deviceLabel(a.deviceId)}${a.by ? ` (${a.by})` : ""}`);
}

function shown(ticket: DoorTicket, timeZone: string) {
  return {
    id: ticket.id,
    name: ticket.name,
    company: ticket.company,
    ticketType: ticket.ticketType,
    status: ticket.status,
    shortCode: ticket.shortCode,
    alsoAdmitted: laterAdmissions(ticket, timeZone),
  };
}

/** An online scan's answer, as the check-in page shows it. */
export function presentCheckIn(result: CheckInResult, timeZone: string) {
  if (result.outcome === "unknown") return { outcome: "unknown" as const, message: "Unknown code: no ticket matches it. Ask for the ticket email or search by name." };
  const { ticket } = result;
  const firstAt = ticket.checkedInAt ? doorTime(ticket.checkedInAt, timeZone) : null;
  const base = { ticket: shown(ticket, timeZone) };
  if (result.outcome === "checked-in") return { ...base, outcome: result.outcome, message: `Welcome! Checked in at ${firstAt}.` };
  if (result.outcome === "already") return { ...base, outcome: result.outcome, message: `Already checked in at ${firstAt}. Check the person's ID before letting them in.` };
  return { ...base, outcome: result.outcome, message: `Refused: this ticket was ${ticket.status.toLowerCase()}. Send the person to the registration desk.` };
}

/** One queued check-in's answer, as the device that sent it shows it. */
export function presentReplay(result: ReplayResult, timeZone: string) {
  const { clientId } = result;
  if (result.outcome === "unknown") {
    return { clientId, outcome: result.outcome, tone: "danger" as const, title: "Not recorded", name: null, message: "No ticket of this edition matches this check-in, so it was not recorded. Was the list from another edition?" };
  }
  if (result.outcome === "conflict") {
    return { clientId, outcome: result.outcome, tone: "danger" as const, title: "Not recorded", name: null, message: "This check-in's id was already used for another ticket, so it was not recorded." };
  }
  const { ticket } = result;
  const at = doorTime(result.at, timeZone);
  const name = ticket.name;
  if (result.outcome === "checked-in") return { clientId, outcome: result.outcome, tone: "ok" as const, title: "Checked in", name, message: `${name}: checked in at ${at}.` };
  if (result.outcome === "refused") {
    return {
      clientId,
      outcome: result.outcome,
      tone: "danger" as const,
      title: `Ticket ${ticket.status.toLowerCase()}`,
      name,
      message: `${name} was let in at ${at}, but the ticket was ${ticket.status.toLowerCase()} before this check-in reached the server. It does not count as checked in: find the person and send them to the registration desk.`,
    };
  }
  const first = result.first;
  return {
    clientId,
    outcome: result.outcome,
    tone: "warn" as const,
    title: "Second entry",
    name,
    message: `${name}: also admitted at ${at} on this device. First checked in at ${doorTime(first.at, timeZone)} on ${deviceLabel(first.deviceId)}${first.by ? ` (${first.by})` : ""}. Both entries are kept.`,
  };
}

export type ReplayReport = ReturnType<typeof presentReplay>;
