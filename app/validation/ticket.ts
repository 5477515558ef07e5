// The forms of the attendee's ticket page (/my/:token), shared by the page (conform) and the server.
import * as z from "./zod";
import { attendeeSchema } from "./attendee";

export const sponsorSharingSchema = z.object({
  shareWithSponsors: z.pipe(
    z.enum(["on", "off"], { error: "Choose whether to share your details." }),
    z.transform((v) => v === "on"),
  ),
});

export const agendaPicksSchema = z.object({
  sessions: z._default(
    z
      .array(z.string().check(z.maxLength(40), z.regex(/^[a-z0-9]+$/, "That is not a session of this event.")))
      .check(z.maxLength(200, "That is more sessions than the agenda has.")),
    [],
  ),
});

export const transferSchema = z.object({
  name: attendeeSchema.shape.name,
  email: attendeeSchema.shape.email,
  confirm: z.literal("on", { error: "Tick the box to confirm. A transfer cannot be undone from your side." }),
});
export type TransferInput = Pick<z.infer<typeof transferSchema>, "name" | "email">;

/** The buyer's "Resend ticket email" button on the order page. */
export const resendTicketSchema = z.object({
  ticketId: z.string({ error: "Choose a ticket." }).check(z.maxLength(40), z.regex(/^[a-z0-9]+$/, "That ticket is not part of this order.")),
});
