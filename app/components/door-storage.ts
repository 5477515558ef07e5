// Where a door device keeps its offline data (door-device.ts), and forgetting the part that names
// people when its user logs out: the signed ticket list (every attendee's name and company) and
// the reports of sent check-ins go, as does the check-in page the service worker keeps; the queue
// of check-ins not yet sent stays, for the next login on this device to send (ADR 0016).
// A module of its own, without zod, as every admin and sponsor page's logout button uses it.

/** One account's data on one edition. */
export const doorKey = (what: "list" | "queue" | "reports", scope: { userId: string; eventId: string }) => `re3m.door.${what}.${scope.userId}.${scope.eventId}`;

const NAMING_PEOPLE = ["re3m.door.list.", "re3m.door.reports."];

/** Removes every ticket list and report this browser keeps, whoever's; starts removing the kept check-in page. */
export function forgetDoorLists() {
  try {
    const keys = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)).filter((k): k is string => k !== null);
    for (const k of keys) if (NAMING_PEOPLE.some((prefix) => k.startsWith(prefix))) localStorage.removeItem(k);
  } catch {
    // Storage refused (a private window's quota, a policy): nothing was kept either.
  }
  // The service worker's copy of /admin/check-in (check-in-sw.js keeps it in re3m-check-in-*).
  if (typeof caches !== "undefined") {
    void caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("re3m-check-in-")).map((n) => caches.open(n).then((c) => c.delete("/admin/check-in")))))
      .catch(() => undefined);
  }
}
