-- CreateEnum
CREATE TYPE "RefundStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "attendees" JSONB NOT NULL,
ADD COLUMN     "checkoutUrl" TEXT;

-- AlterTable
ALTER TABLE "WaitlistEntry" ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "offerToken" TEXT,
ADD COLUMN     "orderId" TEXT;

-- CreateTable
CREATE TABLE "Refund" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "stripeRefundId" TEXT,
    "amountCents" INTEGER NOT NULL,
    "ticketIds" TEXT[],
    "reason" TEXT NOT NULL,
    "status" "RefundStatus" NOT NULL DEFAULT 'PENDING',
    "actorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Refund_stripeRefundId_key" ON "Refund"("stripeRefundId");

-- CreateIndex
CREATE UNIQUE INDEX "WaitlistEntry_offerToken_key" ON "WaitlistEntry"("offerToken");

-- CreateIndex
CREATE UNIQUE INDEX "WaitlistEntry_orderId_key" ON "WaitlistEntry"("orderId");

-- CreateIndex
CREATE INDEX "WaitlistEntry_ticketTypeId_createdAt_idx" ON "WaitlistEntry"("ticketTypeId", "createdAt");

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Seats and code uses can never go negative or past their limits, whatever the application does:
-- the database itself refuses an oversold ticket type.
ALTER TABLE "TicketType" ADD CONSTRAINT "TicketType_seats_check"
  CHECK ("held" >= 0 AND "sold" >= 0 AND "held" + "sold" <= "capacity");
ALTER TABLE "DiscountCode" ADD CONSTRAINT "DiscountCode_uses_check"
  CHECK ("used" >= 0 AND ("maxUses" IS NULL OR "used" <= "maxUses"));
ALTER TABLE "Order" ADD CONSTRAINT "Order_amounts_check"
  CHECK ("subtotalCents" >= 0 AND "discountCents" >= 0 AND "taxCents" >= 0 AND "totalCents" >= 0
         AND "totalCents" = "subtotalCents" - "discountCents" + "taxCents" AND "refundedCents" <= "totalCents");
