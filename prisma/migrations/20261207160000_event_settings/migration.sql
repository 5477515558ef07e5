-- Event settings edited at /admin/settings (issue 16): the organiser's legal identity and tax
-- registration, the contact address, the refund policy and the default end of ticket sales.
ALTER TABLE "Event" ADD COLUMN "taxNumber" TEXT,
ADD COLUMN "legalName" TEXT NOT NULL DEFAULT '',
ADD COLUMN "legalAddress" TEXT NOT NULL DEFAULT '',
ADD COLUMN "contactEmail" TEXT NOT NULL DEFAULT '',
ADD COLUMN "refundPolicy" TEXT NOT NULL DEFAULT '',
ADD COLUMN "defaultSalesEndAt" TIMESTAMP(3);

-- An event created before these settings existed is sold by its organiser under the same name
-- until an admin enters the legal name.
UPDATE "Event" SET "legalName" = "organiser" WHERE "legalName" = '';

-- Each order keeps the tax it was priced with, so a later change of the rate in the settings
-- changes neither its receipt nor its refunds.
ALTER TABLE "Order" ADD COLUMN "taxName" TEXT,
ADD COLUMN "taxRateBps" INTEGER;

UPDATE "Order" AS o SET "taxName" = e."taxName", "taxRateBps" = e."taxRateBps" FROM "Event" AS e WHERE e.id = o."eventId";

ALTER TABLE "Order" ALTER COLUMN "taxName" SET NOT NULL,
ALTER COLUMN "taxRateBps" SET NOT NULL;
