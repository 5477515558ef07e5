-- CreateTable
CREATE TABLE "AgendaPick" (
    "ticketId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgendaPick_pkey" PRIMARY KEY ("ticketId","sessionId")
);

-- CreateIndex
CREATE INDEX "AgendaPick_sessionId_idx" ON "AgendaPick"("sessionId");

-- AddForeignKey
ALTER TABLE "AgendaPick" ADD CONSTRAINT "AgendaPick_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaPick" ADD CONSTRAINT "AgendaPick_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

