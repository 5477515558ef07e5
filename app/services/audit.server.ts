import type { Prisma } from "~/generated/prisma/client";

export type Tx = Prisma.TransactionClient;

/** One audit row per state change, written in the same transaction as the change. */
export function audit(
  tx: Tx,
  entry: { action: string; subject: string; actorId?: string | null; before?: unknown; after?: unknown },
) {
  return tx.auditLog.create({
    data: {
      action: entry.action,
      subject: entry.subject,
      actorId: entry.actorId ?? null,
      before: (entry.before ?? undefined) as Prisma.InputJsonValue | undefined,
      after: (entry.after ?? undefined) as Prisma.InputJsonValue | undefined,
    },
  });
}
