// /editions/:year and its calendar: the archived edition of that year, or why there is none.
import { redirect } from "@remix-run/node";
import { archivedEdition, archivedYears, isPublicYear } from "~/domain/editions.server";

/**
 * The past edition of the address's year. The public edition's year sends the visitor to its live
 * page (`livePath`); a year without a past edition (a draft's included) is a 404 with the years that have one.
 */
export async function requirePastEdition(param: string | undefined, livePath: string) {
  const year = /^\d{4}$/.test(param ?? "") ? Number(param) : null;
  if (year !== null) {
    const event = await archivedEdition(year);
    if (event) return event;
    if (await isPublicYear(year)) throw redirect(livePath);
  }
  const years = await archivedYears();
  const asked = (param ?? "").slice(0, 12);
  const others = years.length ? ` Past editions: ${years.join(", ")}.` : " There are no past editions yet.";
  // A Response rather than data(): a resource route (the calendar) passes it on as it is.
  throw Response.json({ message: `There is no past edition in “${asked}”.${others}`, years }, { status: 404 });
}
