-- Billing details of a company buyer, printed on the order's tax invoice (issue 16).
ALTER TABLE "Order" ADD COLUMN "billingCompany" TEXT NOT NULL DEFAULT '',
ADD COLUMN "billingAddress" TEXT NOT NULL DEFAULT '',
ADD COLUMN "billingCountry" TEXT NOT NULL DEFAULT '',
ADD COLUMN "purchaseOrder" TEXT NOT NULL DEFAULT '',
ADD COLUMN "buyerTaxNumber" TEXT NOT NULL DEFAULT '';
