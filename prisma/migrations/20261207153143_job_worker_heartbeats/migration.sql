-- An email handed to the SMTP server whose answer is not yet recorded (its outcome is unknown
-- if the process dies then).
ALTER TYPE "EmailStatus" ADD VALUE 'SENDING';

-- Which instance holds a Stripe event's claim, so that the claim of an instance that died is
-- released at once rather than when it runs out.
ALTER TABLE "StripeEvent" ADD COLUMN     "claimedBy" TEXT;

-- The job workers that are running and their heartbeats: the jobs locked by a worker that
-- stopped are released within seconds (graphile-worker itself waits four hours).
CREATE TABLE "JobWorker" (
    "id" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobWorker_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JobWorker_instance_idx" ON "JobWorker"("instance");

