// The agenda's query string (`?day=2025-09-09&track=magnets`). Read by the loader only: kept out of
// the page's browser bundle, which then carries no zod (ADR 0021).
import * as z from "zod";

export const agendaQuerySchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "day must look like 2025-09-09").optional(),
  track: z.string().max(80).regex(/^[a-z0-9-]+$/, "track must be a track's short name").optional(),
});
