// The check-in page's offline side (ADR 0016): whether the server answers, the ticket list kept on
// this device, the check-ins queued while offline, and what the server said once they were sent.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { formatTimeWithZone } from "~/domain/time";
import type { DoorList, DoorListTicket, SignedDoorList } from "~/validation/door";
import {
  deviceId,
  findByCode,
  queueAdmission,
  queuedAdmissions,
  sendQueue,
  storedList,
  storedReports,
  storeList,
  verifiedList,
  type DoorScope,
  type Report,
} from "./door-device";

/** How often an online device sends its queue and downloads the list again. */
const SYNC_MS = 30_000;

export type Connection = "starting" | "online" | "offline";

export type DoorDevice = {
  connection: Connection;
  list: DoorList | null;
  syncedAt: string | null;
  queued: number;
  reports: Report[];
  problem: string | null;
  device: string;
};

/** An admission decided on the device, from its list, shown like the server's answer. */
export type OfflineResult = {
  outcome: "checked-in" | "already" | "refused" | "unknown" | "no-list";
  offline: true;
  message: string;
  /** The queued check-in's id, to show the server's answer in its place once it is sent. */
  clientId?: string;
  ticket?: { id: string; name: string; company: string; ticketType: string; status: string; shortCode: string; alsoAdmitted: string[] };
};

const shownTicket = (list: DoorList, t: DoorListTicket) => ({ id: t.id, name: t.name, company: t.company, ticketType: list.types[t.type] ?? "", status: t.status, shortCode: t.code, alsoAdmitted: [] });

export function useDoorDevice({ userId, eventId, listKey }: DoorScope & { listKey: string }) {
  const scope = useMemo(() => ({ userId, eventId }), [userId, eventId]);
  const [state, setState] = useState<DoorDevice>({ connection: "starting", list: null, syncedAt: null, queued: 0, reports: [], problem: null, device: "" });
  const listRef = useRef<DoorList | null>(null);
  const syncing = useRef(false);

  const update = useCallback((change: Partial<DoorDevice>) => {
    if (change.list !== undefined) listRef.current = change.list;
    setState((s) => ({ ...s, ...change, queued: queuedAdmissions(scope).length }));
  }, [scope]);

  const sync = useCallback(async () => {
    if (syncing.current) return;
    syncing.current = true;
    try {
      const sent = await sendQueue(scope, deviceId());
      if (!sent.sent) {
        if (sent.reason === "offline") return update({ connection: "offline" });
        const problem = sent.reason === "login" ? "Your login has ended: log in again on this device to send the queued check-ins." : sent.message;
        return update({ connection: "online", problem });
      }
      if (sent.reports.length > 0) update({ reports: storedReports(scope) });
      const response = await fetch("/admin/check-in/list", { redirect: "manual" }).catch(() => null);
      if (!response || response.status >= 500) return update({ connection: "offline" });
      if (!response.ok) return update({ connection: "online", problem: "Your login has ended: log in again on this device to download the ticket list." });
      const signed = (await response.json()) as SignedDoorList;
      const list = await verifiedList(signed, listKey, scope);
      if (!list) return update({ connection: "online", problem: "The ticket list could not be checked in this browser (it needs HTTPS and a recent browser): offline check-in is not available." });
      const now = new Date();
      storeList(scope, signed, now);
      update({ connection: "online", list, syncedAt: now.toISOString(), problem: null });
    } finally {
      syncing.current = false;
    }
  }, [scope, listKey, update]);

  useEffect(() => {
    let stopped = false;
    void (async () => {
      const stored = storedList(scope);
      const list = await verifiedList(stored, listKey, scope);
      if (stopped) return;
      const problem = stored && !list ? "The ticket list kept on this device failed its check (changed on the device, or kept from another login), so it is not used until a new one is downloaded." : null;
      update({ list, syncedAt: list ? stored!.syncedAt : null, reports: storedReports(scope), device: deviceId(), problem });
      if (navigator.onLine) await sync();
      else update({ connection: "offline" });
    })();
    const online = () => void sync();
    const offline = () => update({ connection: "offline" });
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    const timer = setInterval(() => {
      if (navigator.onLine && document.visibilityState === "visible") void sync();
    }, SYNC_MS);
    return () => {
      stopped = true;
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
      clearInterval(timer);
    };
  }, [scope, listKey, sync, update]);

  /** Lets a person in from the list kept on this device, and queues the check-in for the server. */
  const admitOffline = useCallback(
    async (by: { code: string } | { ticketId: string }): Promise<OfflineResult> => {
      const list = listRef.current;
      if (!list) return { outcome: "no-list", offline: true, message: "This device has no ticket list yet, so it cannot check tickets offline. Open this page once while online." };
      const ticket = "code" in by ? await findByCode(list, by.code) : list.tickets.find((t) => t.id === by.ticketId);
      const synced = formatTimeWithZone(state.syncedAt ?? list.issuedAt, list.timeZone);
      if (!ticket) {
        return { outcome: "unknown", offline: true, message: `Not on this device's list (synced at ${synced}). A ticket bought since then is missing from it: ask for the ticket email, and check it at the desk once online.` };
      }
      const shown = shownTicket(list, ticket);
      if (ticket.status !== "VALID") return { outcome: "refused", offline: true, ticket: shown, message: `Refused: this ticket was ${ticket.status.toLowerCase()}. Send the person to the registration desk.` };
      const firstAt = ticket.in ?? queuedAdmissions(scope).find((a) => a.ticketId === ticket.id)?.scannedAt;
      if (firstAt) {
        return { outcome: "already", offline: true, ticket: shown, message: `Already checked in at ${formatTimeWithZone(firstAt, list.timeZone)}. Check the person's ID before letting them in.` };
      }
      const admission = queueAdmission(scope, ticket, new Date());
      update({});
      if (navigator.onLine) void sync();
      return {
        outcome: "checked-in",
        offline: true,
        clientId: admission.clientId,
        ticket: shown,
        message: `Welcome! Checked in at ${formatTimeWithZone(admission.scannedAt, list.timeZone)} on this device. It is sent to the server when the connection returns.`,
      };
    },
    [scope, state.syncedAt, sync, update],
  );

  /** When a person was checked in as far as this device knows: in the list, or queued here (state.queued re-renders on each change). */
  const checkedInAt = (ticket: DoorListTicket) => ticket.in ?? queuedAdmissions(scope).find((a) => a.ticketId === ticket.id)?.scannedAt ?? null;

  return { ...state, sync, admitOffline, checkedInAt };
}
