import type { Permission } from "~/services/auth.server";

/** The admin area's sections, in the order organisers think about them. */
export const adminSections: { to: string; label: string; permission: Permission; end?: boolean }[] = [
  { to: "/admin", label: "Dashboard", permission: "admin:access", end: true },
  { to: "/admin/orders", label: "Orders", permission: "orders:read" },
  { to: "/admin/attendees", label: "Attendees", permission: "orders:read" },
  { to: "/admin/invoices", label: "Invoices", permission: "orders:read" },
  { to: "/admin/badges", label: "Badges", permission: "orders:read" },
  { to: "/admin/check-in", label: "Check-in", permission: "checkin:scan" },
  { to: "/admin/sessions", label: "Agenda", permission: "agenda:write" },
  { to: "/admin/speakers", label: "Speakers", permission: "content:write" },
  { to: "/admin/sponsors", label: "Sponsors", permission: "content:write" },
  { to: "/admin/sponsors/leads", label: "Leads", permission: "leads:all" },
  { to: "/admin/sponsor-changes", label: "Profile changes", permission: "sponsors:review" },
  { to: "/admin/ticket-types", label: "Tickets", permission: "tickets:write" },
  { to: "/admin/discount-codes", label: "Codes", permission: "tickets:write" },
  { to: "/admin/exports", label: "Exports", permission: "exports:read" },
  { to: "/admin/messages", label: "Messages", permission: "messages:send" },
  { to: "/admin/emails", label: "Emails", permission: "emails:read" },
  { to: "/admin/jobs", label: "Failed jobs", permission: "emails:read" },
  { to: "/admin/audit", label: "Audit log", permission: "audit:read" },
  { to: "/admin/privacy", label: "Privacy", permission: "privacy:manage" },
  { to: "/admin/users", label: "Team", permission: "users:manage" },
  { to: "/admin/settings", label: "Settings", permission: "settings:manage" },
  { to: "/admin/editions", label: "Editions", permission: "settings:manage" },
];
