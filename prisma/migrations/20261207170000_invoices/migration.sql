-- Tax invoices and credit notes (issue 16): immutable rows numbered without gaps per event and
-- kind from a counter row taken in the issuing transaction.
CREATE TYPE "InvoiceKind" AS ENUM ('INVOICE', 'CREDIT_NOTE');

ALTER TABLE "Event" ADD COLUMN "invoicePrefix" TEXT NOT NULL DEFAULT 'INV-';

CREATE TABLE "Invoice" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "kind" "InvoiceKind" NOT NULL,
    "sequence" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "creditedId" TEXT,
    "refundId" TEXT,
    "sellerName" TEXT NOT NULL,
    "sellerAddress" TEXT NOT NULL,
    "sellerTaxNumber" TEXT,
    "buyerName" TEXT NOT NULL,
    "buyerEmail" TEXT NOT NULL,
    "buyerCompany" TEXT NOT NULL DEFAULT '',
    "buyerAddress" TEXT NOT NULL DEFAULT '',
    "buyerCountry" TEXT NOT NULL DEFAULT '',
    "buyerTaxNumber" TEXT NOT NULL DEFAULT '',
    "purchaseOrder" TEXT NOT NULL DEFAULT '',
    "orderReference" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "taxName" TEXT NOT NULL,
    "taxRateBps" INTEGER NOT NULL,
    "lines" JSONB NOT NULL,
    "subtotalCents" INTEGER NOT NULL,
    "discountCents" INTEGER NOT NULL DEFAULT 0,
    "taxCents" INTEGER NOT NULL,
    "totalCents" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "InvoiceCounter" (
    "eventId" TEXT NOT NULL,
    "kind" "InvoiceKind" NOT NULL,
    "next" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "InvoiceCounter_pkey" PRIMARY KEY ("eventId","kind")
);

CREATE UNIQUE INDEX "Invoice_refundId_key" ON "Invoice"("refundId");

CREATE UNIQUE INDEX "Invoice_eventId_kind_sequence_key" ON "Invoice"("eventId", "kind", "sequence");

CREATE UNIQUE INDEX "Invoice_eventId_number_key" ON "Invoice"("eventId", "number");

CREATE INDEX "Invoice_orderId_idx" ON "Invoice"("orderId");

CREATE INDEX "Invoice_issuedAt_idx" ON "Invoice"("issuedAt");

ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_creditedId_fkey" FOREIGN KEY ("creditedId") REFERENCES "Invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

