// The "start the next edition" form (/admin/editions), shared by the page (conform) and the server.
// Its fields are the event settings' own rules, so a name or prefix the settings would refuse is
// refused here too.
import * as z from "./zod";
import { eventSettingsSchema } from "./event-settings";

const settings = eventSettingsSchema.shape;
const ticked = z.pipe(
  z.optional(z.literal("on")),
  z.transform((v) => v === "on"),
);

export const nextEditionSchema = z.object({
  startsOn: settings.startsOn,
  name: settings.name,
  shortName: settings.shortName,
  invoicePrefix: settings.invoicePrefix,
  copySponsors: ticked,
  copySpeakers: ticked,
});

export type NextEditionInput = z.infer<typeof nextEditionSchema>;

export const publishEditionSchema = z.object({
  eventId: z.string({ error: "Choose the edition to publish." }).check(z.trim(), z.minLength(1, "Choose the edition to publish."), z.maxLength(40, "Choose the edition to publish.")),
});

export const switchEditionSchema = z.object({
  edition: z.string({ error: "Choose an edition." }).check(z.trim(), z.minLength(1, "Choose an edition."), z.maxLength(40, "Choose an edition.")),
  back: z.optional(z.string().check(z.maxLength(200))),
});
