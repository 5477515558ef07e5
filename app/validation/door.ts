// What the door's devices and the server exchange (ADR 0016): the signed list of tickets a device
// keeps for working offline, and the batch of admissions it sends back when its connection returns.
import * as z from "./zod";

/** A ticket's QR secret is not kept on the device: the list has the first 22 characters (128 bits) of its SHA-256, base64url. */
export const QR_DIGEST_CHARS = 22;

/** The largest batch a device sends at once; a longer queue goes in several. */
export const MAX_REPLAY_BATCH = 200;

const ticketStatus = z.enum(["VALID", "CANCELLED", "REFUNDED"]);

/** One ticket as the device keeps it. */
export const doorListTicketSchema = z.object({
  id: z.string(),
  code: z.string(),
  qr: z.string(),
  name: z.string(),
  company: z.string(),
  /** Index into the list's `types`. */
  type: z.number().check(z.int(), z.gte(0)),
  status: ticketStatus,
  /** The first check-in (ISO), when the list was made. */
  in: z.nullable(z.string()),
});

export const doorListSchema = z.object({
  v: z.literal(1),
  eventId: z.string(),
  userId: z.string(),
  issuedAt: z.string(),
  timeZone: z.string(),
  types: z.array(z.string()),
  tickets: z.array(doorListTicketSchema),
});

export type DoorList = z.infer<typeof doorListSchema>;
export type DoorListTicket = z.infer<typeof doorListTicketSchema>;

/** The list as sent: its JSON text and that text's HMAC-SHA256 (base64url). */
export type SignedDoorList = { body: string; signature: string };

const batchMessage = "Send the queued check-ins from the check-in page: this batch is not one it makes.";

/** The device's id, made once on the device and shown as "device K7Q2". */
export const deviceIdSchema = z.string().check(z.regex(/^[A-Z0-9]{4,12}$/, "The device id is 4 to 12 capital letters or digits."));

/** One admission made on a device. */
export const admissionSchema = z.object({
  // Made on the device for each admission: sent again, it names the same entry.
  clientId: z.string().check(z.regex(/^[\w-]{8,64}$/, "Each check-in needs its id from the device (8 to 64 letters, digits, - or _).")),
  ticketId: z.string().check(z.minLength(1), z.maxLength(40), z.regex(/^\w+$/, "A ticket id is letters and digits.")),
  scannedAt: z.iso.datetime({ offset: true, error: "Each check-in needs the time it was made, as an ISO date and time." }),
});

export type Admission = z.infer<typeof admissionSchema>;

/** A queued batch as the check-in page sends it: a form with the device id and the admissions as JSON. */
export const replayFormSchema = z.object({
  deviceId: deviceIdSchema,
  entries: z.pipe(
    z.pipe(
      z.string({ error: "The form has no check-ins (entries)." }).check(z.maxLength(64 * 1024, `Send at most ${MAX_REPLAY_BATCH} check-ins at once.`)),
      z.transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return z.refuse(ctx, "The check-ins (entries) are not valid JSON.");
        }
      }),
    ),
    z
      .array(admissionSchema, { error: batchMessage })
      .check(z.minLength(1, "The batch has no check-ins."), z.maxLength(MAX_REPLAY_BATCH, `Send at most ${MAX_REPLAY_BATCH} check-ins at once.`)),
  ),
});

/** "k7q2 mx9p" and "K7Q2-MX9P" as typed from a badge: the short code's own form, or null when it cannot be one. */
export function typedShortCode(code: string): string | null {
  const short = code.replace(/[\s-]/g, "").toUpperCase();
  return short.length === 8 ? short : null;
}

/** How a device is named on the page: "device K7Q2", or the page itself for an admission made without script. */
export const deviceLabel = (deviceId: string) => (deviceId ? `device ${deviceId}` : "the check-in page");
