-- Retries of Stripe events are graphile-worker jobs now (their run_at holds the next try), so
-- nextAttemptAt is never written. The dashboard still looks up unhandled events by handledAt.
DROP INDEX "StripeEvent_handledAt_nextAttemptAt_idx";

ALTER TABLE "StripeEvent" DROP COLUMN "nextAttemptAt";

CREATE INDEX "StripeEvent_handledAt_idx" ON "StripeEvent"("handledAt");
