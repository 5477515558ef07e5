// The organisers' forms for the agenda and its content. One schema per form, shared by the browser
// (conform's client validation) and the server.
import * as z from "./zod";
import { hasNoNul, nulMessage } from "./text";

const required = (what: string) => z.string({ error: `Enter ${what}.` }).trim().min(1, `Enter ${what}.`).refine(hasNoNul, nulMessage(what));
const optionalText = (max: number) => z.string().trim().max(max, `Keep it under ${max} characters.`).refine(hasNoNul, nulMessage("this field")).optional().default("");
const optionalId = z.string().trim().optional().transform((v) => v || null);
const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());

export const SESSION_KINDS = ["KEYNOTE", "TALK", "PANEL", "WORKSHOP", "BREAK", "NETWORKING"] as const;
export const SPEAKER_ROLES = ["Speaker", "Moderator", "Panellist", "Facilitator", "Host", "Keynote speaker"] as const;

const day = z.string({ error: "Choose the day." }).regex(/^\d{4}-\d{2}-\d{2}$/, "Choose the day (YYYY-MM-DD).");
const clock = (what: string) => z.string({ error: `Enter the ${what} time.` }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, `Enter the ${what} time as HH:MM, e.g. 14:30.`);

export const sessionSchema = z.object({
  title: required("the session's title").pipe(z.string().max(160, "Keep the title under 160 characters.")),
  summary: optionalText(4000),
  kind: z.enum(SESSION_KINDS, { error: "Choose the kind of session." }),
  status: z.enum(["DRAFT", "PUBLISHED"], { error: "Choose draft or published." }).default("DRAFT"),
  day,
  start: clock("start"),
  end: clock("end"),
  trackId: optionalId,
  roomId: optionalId,
  // Rows left on "no speaker" are the spare rows of the form, not mistakes.
  speakers: z
    .array(z.object({ speakerId: z.string().optional(), role: z.enum(SPEAKER_ROLES).optional().default("Speaker") }))
    .optional()
    .default([])
    .transform((rows) => rows.filter((r): r is { speakerId: string; role: (typeof SPEAKER_ROLES)[number] } => Boolean(r.speakerId)))
    .refine((rows) => new Set(rows.map((r) => r.speakerId)).size === rows.length, "Each speaker can be listed only once."),
  override: checkbox.optional().default(false),
});
export type SessionInput = z.infer<typeof sessionSchema>;

/** The timetable's "Move" control: a new start (same length) and maybe another room. */
export const moveSchema = z.object({
  sessionId: z.string().min(1),
  day,
  start: clock("start"),
  roomId: optionalId,
  override: checkbox.optional().default(false),
});
export type MoveInput = z.infer<typeof moveSchema>;

const hexColor = z.string().trim().regex(/^#[0-9a-fA-F]{6}$/, "Choose a colour such as #1D4ED8.");
const position = z.coerce.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(0, "Use 0 or more.").max(999, "Use at most 999.").default(0);
const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || null)
  .pipe(z.url({ protocol: /^https?$/, error: "Enter a full web address starting with https://." }).nullable());

export const trackSchema = z.object({
  name: required("the track's name").pipe(z.string().max(80, "Keep the name under 80 characters.")),
  color: hexColor,
  position,
});
export type TrackInput = z.infer<typeof trackSchema>;

export const roomSchema = z.object({
  name: required("the room's name").pipe(z.string().max(80, "Keep the name under 80 characters.")),
  capacity: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number({ error: "Enter a number of seats." }).int("Enter a whole number of seats.").min(1, "A room needs at least 1 seat.").max(100_000, "That is more seats than any venue has.").optional()),
  position,
});
export type RoomInput = z.infer<typeof roomSchema>;

export const tierSchema = z.object({
  name: required("the tier's name").pipe(z.string().max(60, "Keep the name under 60 characters.")),
  rank: z.coerce.number({ error: "Enter a rank, 1 for the top tier." }).int("Enter a whole number.").min(1, "The top tier is rank 1.").max(99, "Use at most 99."),
  benefits: z
    .string()
    .optional()
    .default("")
    .transform((v) => v.split("\n").map((line) => line.trim()).filter(Boolean)),
  includesAttendeeList: checkbox.optional().default(false),
});
export type TierInput = z.infer<typeof tierSchema>;

export const speakerSchema = z.object({
  name: required("the speaker's name").pipe(z.string().max(120, "Keep the name under 120 characters.")),
  role: required("the speaker's job title").pipe(z.string().max(120, "Keep it under 120 characters.")),
  company: required("the speaker's organisation").pipe(z.string().max(120, "Keep it under 120 characters.")),
  bio: optionalText(4000),
  featured: checkbox.optional().default(false),
  removeImage: checkbox.optional().default(false),
});
export type SpeakerInput = z.infer<typeof speakerSchema>;

export const sponsorSchema = z.object({
  name: required("the sponsor's name").pipe(z.string().max(120, "Keep the name under 120 characters.")),
  tierId: z.string({ error: "Choose a tier." }).min(1, "Choose a tier."),
  description: optionalText(2000),
  website: optionalUrl,
  accent: hexColor.default("#1f2937"),
  booth: z.string().trim().max(20, "Keep the booth under 20 characters.").optional().transform((v) => v || null),
  removeImage: checkbox.optional().default(false),
});
export type SponsorInput = z.infer<typeof sponsorSchema>;

export const deleteSchema = z.object({ confirm: checkbox.optional().default(false) });
