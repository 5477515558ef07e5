// The schema.org Event the home page carries as JSON-LD, for search engines and event listings:
// times with the event's UTC offset, the venue, the organiser and the public ticket prices.
import { db } from "~/services/db.server";
import { eventDays } from "./agenda.server";
import type { CurrentEvent } from "./event.server";
import { formatAmount } from "./money";
import { availabilityOf, type Availability } from "./ticket-catalogue.server";
import { isoWithOffset, zonedTimeToUtc } from "./time";

const schemaOrg = (term: string) => `https://schema.org/${term}`;

/** The offer's availability: the best state among the public ticket types. */
function offerAvailability(states: Availability[]) {
  if (states.includes("on-sale")) return schemaOrg("InStock");
  if (states.includes("few-left")) return schemaOrg("LimitedAvailability");
  if (states.includes("not-yet")) return schemaOrg("PreSale");
  return schemaOrg("SoldOut");
}

/** When the event runs: its first session to its last, or its first day's start to its last day's end. */
async function eventSpan(event: CurrentEvent) {
  const days = await eventDays(event);
  const starts = days.flatMap((d) => (d.startsAt ? [d.startsAt] : []));
  const ends = days.flatMap((d) => (d.endsAt ? [d.endsAt] : []));
  return {
    startsAt: starts[0] ?? zonedTimeToUtc(event.days[0]!, "00:00", event.timeZone),
    endsAt: ends.at(-1) ?? zonedTimeToUtc(event.days.at(-1)!, "23:59", event.timeZone),
  };
}

/** The public ticket types as one AggregateOffer; prices before tax, as the site lists them. */
async function aggregateOffer(event: CurrentEvent, origin: string, now: Date) {
  const types = await db().ticketType.findMany({
    where: { eventId: event.id, isPublic: true },
    select: { priceCents: true, capacity: true, held: true, sold: true, salesStartAt: true, salesEndAt: true, createdAt: true },
  });
  const priced = types.map((t) => ({ ...t, state: availabilityOf(t, now).state }));
  // Types still to be bought, or every public type once none is.
  const current = priced.filter((t) => t.state !== "ended" && t.state !== "sold-out");
  const offered = current.length > 0 ? current : priced;
  if (offered.length === 0) return undefined;
  const prices = offered.map((t) => t.priceCents);
  const opened = offered.map((t) => (t.salesStartAt ?? t.createdAt).getTime());
  return {
    "@type": "AggregateOffer",
    url: `${origin}/tickets`,
    priceCurrency: event.currency,
    lowPrice: formatAmount(Math.min(...prices)),
    highPrice: formatAmount(Math.max(...prices)),
    offerCount: offered.length,
    availability: offerAvailability(priced.map((t) => t.state)),
    validFrom: isoWithOffset(new Date(Math.min(...opened)), event.timeZone),
  };
}

export async function eventJsonLd(event: CurrentEvent, origin: string, now: Date) {
  const [span, offers] = await Promise.all([eventSpan(event), aggregateOffer(event, origin, now)]);
  return {
    "@context": "https://schema.org",
    "@type": "Event",
    name: event.name,
    description: event.tagline,
    startDate: isoWithOffset(span.startsAt, event.timeZone),
    endDate: isoWithOffset(span.endsAt, event.timeZone),
    eventStatus: schemaOrg("EventScheduled"),
    eventAttendanceMode: schemaOrg("OfflineEventAttendanceMode"),
    location: {
      "@type": "Place",
      name: event.venueName,
      address: { "@type": "PostalAddress", streetAddress: event.venueAddress, addressLocality: event.city, addressCountry: event.country },
    },
    organizer: { "@type": "Organization", name: event.organiser },
    ...(event.specialGuest ? { performer: { "@type": "Person", name: event.specialGuest } } : {}),
    image: `${origin}/og-image.png`,
    url: `${origin}/`,
    ...(offers ? { offers } : {}),
  };
}
