-- Pay by invoice (issue 16): bank transfer, cheque or EFT against the tax invoice, the seats held
-- until a due date, payments recorded by organisers, attendees named later.
-- (No semicolon in comments: this engine path splits the file at every one.)
CREATE TYPE "PaymentMethod" AS ENUM ('CARD', 'INVOICE');

CREATE TYPE "InvoicePaymentMethod" AS ENUM ('BANK_TRANSFER', 'CHEQUE', 'EFT', 'OTHER');

ALTER TABLE "Event" ADD COLUMN "payByInvoice" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "invoiceMinTickets" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN "invoiceDueDays" INTEGER NOT NULL DEFAULT 14,
ADD COLUMN "paymentInstructions" TEXT NOT NULL DEFAULT '';

ALTER TABLE "Order" ADD COLUMN "paymentMethod" "PaymentMethod" NOT NULL DEFAULT 'CARD',
ADD COLUMN "dueAt" TIMESTAMP(3),
ADD COLUMN "nextReminderAt" TIMESTAMP(3),
ADD COLUMN "remindersSent" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "requestedFrom" TEXT;

ALTER TABLE "OrderAttendee" ADD COLUMN "toBeNamed" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "Ticket" ADD COLUMN "toBeNamed" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "InvoicePayment" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "receivedOn" DATE NOT NULL,
    "method" "InvoicePaymentMethod" NOT NULL,
    "reference" TEXT NOT NULL DEFAULT '',
    "formKey" TEXT NOT NULL,
    "recordedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InvoicePayment_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "InvoicePayment_formKey_key" ON "InvoicePayment"("formKey");

CREATE INDEX "InvoicePayment_orderId_idx" ON "InvoicePayment"("orderId");

CREATE INDEX "Order_paymentMethod_status_dueAt_idx" ON "Order"("paymentMethod", "status", "dueAt");

ALTER TABLE "InvoicePayment" ADD CONSTRAINT "InvoicePayment_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "InvoicePayment" ADD CONSTRAINT "InvoicePayment_amount_check" CHECK ("amountCents" > 0);
