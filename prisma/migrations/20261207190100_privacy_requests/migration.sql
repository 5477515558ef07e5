-- Privacy requests (issue 17): a person's export and erasure requests, the erased marks on
-- orders and tickets, and the event's retention period.
-- (No semicolon in comments: this engine path splits the file at every one.)
CREATE TYPE "PrivacyRequestKind" AS ENUM ('EXPORT', 'ERASURE');

CREATE TYPE "PrivacyRequestStatus" AS ENUM ('PENDING', 'DONE', 'REFUSED');

CREATE TYPE "PrivacyRequestOrigin" AS ENUM ('ATTENDEE', 'ORGANISER');

ALTER TABLE "Event" ADD COLUMN "retentionDays" INTEGER,
ADD COLUMN "retentionSetAt" TIMESTAMP(3);

ALTER TABLE "Order" ADD COLUMN "erasedAt" TIMESTAMP(3);

ALTER TABLE "Ticket" ADD COLUMN "erasedAt" TIMESTAMP(3);

CREATE TABLE "PrivacyRequest" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "kind" "PrivacyRequestKind" NOT NULL,
    "status" "PrivacyRequestStatus" NOT NULL DEFAULT 'PENDING',
    "origin" "PrivacyRequestOrigin" NOT NULL,
    "pendingKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "handledAt" TIMESTAMP(3),
    "handledById" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "PrivacyRequest_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "PrivacyRequest_pendingKey_key" ON "PrivacyRequest"("pendingKey");

CREATE INDEX "PrivacyRequest_eventId_status_createdAt_idx" ON "PrivacyRequest"("eventId", "status", "createdAt");

ALTER TABLE "PrivacyRequest" ADD CONSTRAINT "PrivacyRequest_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "PrivacyRequest" ADD CONSTRAINT "PrivacyRequest_handledById_fkey" FOREIGN KEY ("handledById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A pending request always has its key, a handled one never: the key is what makes asking twice one request.
ALTER TABLE "PrivacyRequest" ADD CONSTRAINT "PrivacyRequest_pending_key_check" CHECK (("status" = 'PENDING') = ("pendingKey" IS NOT NULL));

ALTER TABLE "Event" ADD CONSTRAINT "Event_retention_days_check" CHECK ("retentionDays" IS NULL OR "retentionDays" >= 0);
