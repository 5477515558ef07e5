-- CreateTable
CREATE TABLE "OrderAttendee" (
    "orderId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "ticketTypeId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "company" TEXT NOT NULL DEFAULT '',
    "jobTitle" TEXT NOT NULL DEFAULT '',
    "country" TEXT NOT NULL DEFAULT '',
    "dietaryNeeds" TEXT NOT NULL DEFAULT '',
    "accessNeeds" TEXT NOT NULL DEFAULT '',
    "shareWithSponsors" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "OrderAttendee_pkey" PRIMARY KEY ("orderId","position")
);

-- AddForeignKey
ALTER TABLE "OrderAttendee" ADD CONSTRAINT "OrderAttendee_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderAttendee" ADD CONSTRAINT "OrderAttendee_ticketTypeId_fkey" FOREIGN KEY ("ticketTypeId") REFERENCES "TicketType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Every order keeps its attendees: the JSON array becomes one row per element, in its order.
-- Every stored element has a ticketTypeId (checkout and comps always wrote one). A missing one
-- fails the migration rather than issuing a ticket of no type. No semicolons in these comments:
-- the migration is run statement by statement, split at each one.
INSERT INTO "OrderAttendee" ("orderId", "position", "ticketTypeId", "name", "email", "company", "jobTitle", "country",
  "dietaryNeeds", "accessNeeds", "shareWithSponsors")
SELECT o."id", (a.n - 1)::int, a.value->>'ticketTypeId', coalesce(a.value->>'name', ''), coalesce(a.value->>'email', ''),
  coalesce(a.value->>'company', ''), coalesce(a.value->>'jobTitle', ''), coalesce(a.value->>'country', ''),
  coalesce(a.value->>'dietaryNeeds', ''), coalesce(a.value->>'accessNeeds', ''),
  coalesce((a.value->>'shareWithSponsors')::boolean, false)
FROM "Order" o
CROSS JOIN LATERAL jsonb_array_elements(o."attendees") WITH ORDINALITY AS a(value, n)
WHERE jsonb_typeof(o."attendees") = 'array';

-- AlterTable
ALTER TABLE "Order" DROP COLUMN "attendees";
