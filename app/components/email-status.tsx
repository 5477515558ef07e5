import type { EmailStatus } from "~/generated/prisma/enums";

const look: Record<EmailStatus, { label: string; className: string }> = {
  PENDING: { label: "Pending", className: "badge badge--warn" },
  // Handed to the SMTP server, its answer not yet recorded.
  SENDING: { label: "Sending", className: "badge badge--warn" },
  SENT: { label: "Sent", className: "badge badge--ok" },
  // Kept in the outbox because no SMTP server is configured.
  STORED: { label: "Stored", className: "badge badge--talk" },
  FAILED: { label: "Failed", className: "badge badge--danger" },
};

export function EmailStatusBadge({ status }: { status: EmailStatus }) {
  return <span className={look[status].className}>{look[status].label}</span>;
}
