-- Stripe events are stored before they are handled (the webhook acknowledges at once when busy).
ALTER TABLE "StripeEvent" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "claimedUntil" TIMESTAMP(3),
ADD COLUMN     "handledAt" TIMESTAMP(3),
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "payload" JSONB;

-- Rows so far were written once their event had been handled.
UPDATE "StripeEvent" SET "handledAt" = "receivedAt";

-- CreateIndex
CREATE INDEX "StripeEvent_handledAt_nextAttemptAt_idx" ON "StripeEvent"("handledAt", "nextAttemptAt");
