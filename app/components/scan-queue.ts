// Booth scans waiting on the phone. Every scan goes here first and leaves only once the server has
// answered, so a scan made offline (or whose request was cut off) is sent when the connection
// returns. A replay is harmless: the server saves a lead by (sponsor, attendee), so sending the same
// scan twice updates the one lead instead of adding another.
export type QueuedScan = { id: string; code: string; at: string };

const keyFor = (userId: string) => `re3m.booth-scans.${userId}`;

export function queuedScans(userId: string): QueuedScan[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(keyFor(userId)) ?? "[]");
    return Array.isArray(parsed) ? (parsed as QueuedScan[]) : [];
  } catch {
    return [];
  }
}

function save(userId: string, scans: QueuedScan[]) {
  localStorage.setItem(keyFor(userId), JSON.stringify(scans));
}

export function enqueueScan(userId: string, code: string): QueuedScan {
  const scan = { id: crypto.randomUUID(), code, at: new Date().toISOString() };
  save(userId, [...queuedScans(userId), scan]);
  return scan;
}

export function dropScan(userId: string, id: string) {
  save(userId, queuedScans(userId).filter((s) => s.id !== id));
}
