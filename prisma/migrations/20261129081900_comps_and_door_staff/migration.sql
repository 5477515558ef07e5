-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "isComp" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "checkedInById" TEXT;

