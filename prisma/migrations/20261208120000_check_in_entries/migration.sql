-- Door check-in without a network (issue 17): every admission is an entry, so that two devices
-- admitting one ticket offline both keep their time. The ticket's checkedInAt stays the earliest.
-- (No semicolon in comments: this engine path splits the file at every one.)
CREATE TABLE "CheckInEntry" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "scannedAt" TIMESTAMP(3) NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" TEXT,
    "refusedStatus" "TicketStatus",
    CONSTRAINT "CheckInEntry_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "CheckInEntry_clientId_key" ON "CheckInEntry"("clientId");

CREATE INDEX "CheckInEntry_ticketId_scannedAt_idx" ON "CheckInEntry"("ticketId", "scannedAt");

ALTER TABLE "CheckInEntry" ADD CONSTRAINT "CheckInEntry_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "CheckInEntry" ADD CONSTRAINT "CheckInEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- An entry is refused only for a ticket that was not valid.
ALTER TABLE "CheckInEntry" ADD CONSTRAINT "CheckInEntry_refused_status_check" CHECK ("refusedStatus" IS NULL OR "refusedStatus" <> 'VALID');

-- Tickets checked in before entries existed get theirs, made at the one door that admitted them.
INSERT INTO "CheckInEntry" ("id", "ticketId", "clientId", "deviceId", "scannedAt", "recordedAt", "userId")
SELECT 'ci' || md5("id"), "id", 'before-entries-' || "id", '', "checkedInAt", "checkedInAt", "checkedInById"
FROM "Ticket" WHERE "checkedInAt" IS NOT NULL;
