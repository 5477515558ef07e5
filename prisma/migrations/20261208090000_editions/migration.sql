-- Editions (issue 17): every event is an edition of the conference, and exactly one is the public
-- one. The existing event (the latest, should there be several) becomes the public edition and
-- any older ones are archived.
-- (No semicolon in comments: this engine path splits the file at every one.)
CREATE TYPE "EditionStatus" AS ENUM ('DRAFT', 'PUBLIC', 'ARCHIVED');

ALTER TABLE "Event" ADD COLUMN "status" "EditionStatus" NOT NULL DEFAULT 'DRAFT';

UPDATE "Event" SET "status" = CASE WHEN "id" = (SELECT "id" FROM "Event" ORDER BY "startsOn" DESC, "createdAt" DESC LIMIT 1) THEN 'PUBLIC'::"EditionStatus" ELSE 'ARCHIVED'::"EditionStatus" END;

-- At most one public edition, whatever the code does: publishing another one in the same
-- transaction archives the old one first.
CREATE UNIQUE INDEX "Event_one_public" ON "Event"("status") WHERE "status" = 'PUBLIC';
