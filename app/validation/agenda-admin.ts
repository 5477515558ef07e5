// The organisers' forms for the agenda and its content. One schema per form, shared by the browser
// (conform's client validation) and the server.
import * as z from "./zod";
import { hasNoNul, nulMessage } from "./text";

const required = (what: string, max: number, tooLong: string) =>
  z.pipe(z.string({ error: `Enter ${what}.` }).check(z.trim(), z.minLength(1, `Enter ${what}.`), z.refine(hasNoNul, nulMessage(what))), z.string().check(z.maxLength(max, tooLong)));
const optionalText = (max: number) =>
  z._default(z.optional(z.string().check(z.trim(), z.maxLength(max, `Keep it under ${max} characters.`), z.refine(hasNoNul, nulMessage("this field")))), "");
const optionalId = z.pipe(
  z.optional(z.string().check(z.trim())),
  z.transform((v) => v || null),
);
// Unticked (absent) is false.
const checkbox = z._default(
  z.optional(
    z.pipe(
      z.transform((v) => v === "on" || v === "true"),
      z.boolean(),
    ),
  ),
  false,
);

export const SESSION_KINDS = ["KEYNOTE", "TALK", "PANEL", "WORKSHOP", "BREAK", "NETWORKING"] as const;
export const SPEAKER_ROLES = ["Speaker", "Moderator", "Panellist", "Facilitator", "Host", "Keynote speaker"] as const;

const day = z.string({ error: "Choose the day." }).check(z.regex(/^\d{4}-\d{2}-\d{2}$/, "Choose the day (YYYY-MM-DD)."));
const clock = (what: string) => z.string({ error: `Enter the ${what} time.` }).check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, `Enter the ${what} time as HH:MM, e.g. 14:30.`));

export const sessionSchema = z.object({
  title: required("the session's title", 160, "Keep the title under 160 characters."),
  summary: optionalText(4000),
  kind: z.enum(SESSION_KINDS, { error: "Choose the kind of session." }),
  status: z._default(z.enum(["DRAFT", "PUBLISHED"], { error: "Choose draft or published." }), "DRAFT"),
  day,
  start: clock("start"),
  end: clock("end"),
  trackId: optionalId,
  roomId: optionalId,
  // Rows left on "no speaker" are the spare rows of the form, not mistakes.
  speakers: z
    .pipe(
      z._default(z.optional(z.array(z.object({ speakerId: z.optional(z.string()), role: z._default(z.optional(z.enum(SPEAKER_ROLES)), "Speaker") }))), []),
      z.transform((rows) => rows.filter((r): r is { speakerId: string; role: (typeof SPEAKER_ROLES)[number] } => Boolean(r.speakerId))),
    )
    .check(z.refine((rows) => new Set(rows.map((r) => r.speakerId)).size === rows.length, "Each speaker can be listed only once.")),
  override: checkbox,
});
export type SessionInput = z.infer<typeof sessionSchema>;

/** The timetable's "Move" control: a new start (same length) and maybe another room. */
export const moveSchema = z.object({
  sessionId: z.string().check(z.minLength(1)),
  day,
  start: clock("start"),
  roomId: optionalId,
  override: checkbox,
});
export type MoveInput = z.infer<typeof moveSchema>;

const hexColor = z.string().check(z.trim(), z.regex(/^#[0-9a-fA-F]{6}$/, "Choose a colour such as #1D4ED8."));
const position = z._default(
  z.coerce.number({ error: "Enter a whole number." }).check(z.int("Enter a whole number."), z.gte(0, "Use 0 or more."), z.lte(999, "Use at most 999.")),
  0,
);
const optionalUrl = z.pipe(
  z.pipe(
    z.optional(z.string().check(z.trim())),
    z.transform((v) => v || null),
  ),
  z.nullable(z.url({ protocol: /^https?$/, error: "Enter a full web address starting with https://." })),
);

export const trackSchema = z.object({
  name: required("the track's name", 80, "Keep the name under 80 characters."),
  color: hexColor,
  position,
});
export type TrackInput = z.infer<typeof trackSchema>;

export const roomSchema = z.object({
  name: required("the room's name", 80, "Keep the name under 80 characters."),
  capacity: z.pipe(
    z.transform((v) => (v === "" ? undefined : v)),
    z.optional(
      z.coerce
        .number({ error: "Enter a number of seats." })
        .check(z.int("Enter a whole number of seats."), z.gte(1, "A room needs at least 1 seat."), z.lte(100_000, "That is more seats than any venue has.")),
    ),
  ),
  position,
});
export type RoomInput = z.infer<typeof roomSchema>;

export const tierSchema = z.object({
  name: required("the tier's name", 60, "Keep the name under 60 characters."),
  rank: z.coerce.number({ error: "Enter a rank, 1 for the top tier." }).check(z.int("Enter a whole number."), z.gte(1, "The top tier is rank 1."), z.lte(99, "Use at most 99.")),
  benefits: z.pipe(
    z._default(z.optional(z.string()), ""),
    z.transform((v) => v.split("\n").map((line) => line.trim()).filter(Boolean)),
  ),
  includesAttendeeList: checkbox,
});
export type TierInput = z.infer<typeof tierSchema>;

export const speakerSchema = z.object({
  name: required("the speaker's name", 120, "Keep the name under 120 characters."),
  role: required("the speaker's job title", 120, "Keep it under 120 characters."),
  company: required("the speaker's organisation", 120, "Keep it under 120 characters."),
  bio: optionalText(4000),
  featured: checkbox,
  removeImage: checkbox,
});
export type SpeakerInput = z.infer<typeof speakerSchema>;

export const sponsorSchema = z.object({
  name: required("the sponsor's name", 120, "Keep the name under 120 characters."),
  tierId: z.string({ error: "Choose a tier." }).check(z.minLength(1, "Choose a tier.")),
  description: optionalText(2000),
  website: optionalUrl,
  accent: z._default(hexColor, "#1f2937"),
  booth: z.pipe(
    z.optional(z.string().check(z.trim(), z.maxLength(20, "Keep the booth under 20 characters."))),
    z.transform((v) => v || null),
  ),
  removeImage: checkbox,
});
export type SponsorInput = z.infer<typeof sponsorSchema>;

export const deleteSchema = z.object({ confirm: checkbox });
