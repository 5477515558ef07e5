// Badges for the scanner tests: a ticket with a known QR secret, that QR as a PNG (for "scan from a
// photo") and as a Y4M video (for Chromium's fake camera), and a sponsor account with a password.
import { randomBytes, randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import QRCode from "qrcode";
import { e2eSql } from "./database";

const ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
const shortCode = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");

/**
 * A fresh QR secret and its picture files. Called at module load, because the fake-camera file is a
 * browser launch argument fixed before any test runs.
 */
export function badgeFixture(label: string) {
  const qrCode = randomBytes(32).toString("base64url");
  const dir = path.join(os.tmpdir(), "re3m-e2e-badges");
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `${label}-${process.pid}-${qrCode.slice(0, 8)}`);
  writeFileSync(`${base}.y4m`, y4mOf(qrCode));
  return { qrCode, shortCode: shortCode(), y4mPath: `${base}.y4m`, pngPath: `${base}.png`, writePng: () => QRCode.toFile(`${base}.png`, qrCode, { width: 480, margin: 4 }) };
}

/** A few identical 640x480 frames (YUV 4:2:0) of the QR code, dark modules on white. */
function y4mOf(payload: string): Buffer {
  const W = 640;
  const H = 480;
  const qr = QRCode.create(payload, { errorCorrectionLevel: "M" });
  const size = qr.modules.size;
  const scale = Math.floor((H - 80) / size);
  const left = Math.floor((W - size * scale) / 2);
  const top = Math.floor((H - size * scale) / 2);
  const y = Buffer.alloc(W * H, 235);
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++) {
      if (!qr.modules.get(row, col)) continue;
      for (let dy = 0; dy < scale; dy++) y.fill(16, (top + row * scale + dy) * W + left + col * scale, (top + row * scale + dy) * W + left + (col + 1) * scale);
    }
  const chroma = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), y, chroma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: 10 }, () => frame)]);
}

const id = () => `e2e${randomBytes(10).toString("hex")}`;

/** A paid (free) order with one valid ticket carrying the given QR secret. */
export async function insertTicket(t: { qrCode: string; shortCode: string; name: string; company: string; email: string; shareWithSponsors: boolean }) {
  const [event] = await e2eSql<{ id: string }>(`SELECT id FROM "Event" ORDER BY "startsOn" DESC LIMIT 1`);
  const [type] = await e2eSql<{ id: string; name: string }>(`SELECT id, name FROM "TicketType" WHERE "eventId" = $1 ORDER BY "priceCents" DESC LIMIT 1`, [event!.id]);
  const orderId = id();
  await e2eSql(
    `INSERT INTO "Order" (id, "eventId", reference, "accessToken", status, "buyerName", "buyerEmail", "subtotalCents", "taxCents", "totalCents", "taxName", "taxRateBps", "expiresAt", "paidAt", "updatedAt")
     VALUES ($1, $2, $3, $4, 'PAID', $5, $6, 0, 0, 0, 'HST', 1300, now(), now(), now())`,
    [orderId, event!.id, `RE3M-E${randomBytes(3).toString("hex").toUpperCase()}`, randomBytes(24).toString("base64url"), t.name, t.email],
  );
  const ticketId = id();
  await e2eSql(
    `INSERT INTO "Ticket" (id, "orderId", "ticketTypeId", name, email, company, "jobTitle", country, "shareWithSponsors", "consentAt", "qrCode", "shortCode", "manageToken", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, 'Procurement lead', 'Canada', $7, CASE WHEN $7 THEN now() END, $8, $9, $10, now())`,
    [ticketId, orderId, type!.id, t.name, t.email, t.company, t.shareWithSponsors, t.qrCode, t.shortCode, randomBytes(24).toString("base64url")],
  );
  return { ticketId, ticketType: type!.name };
}

/** A sponsor account with a known password, for a sponsor without the attendee list. */
export async function insertSponsorUser(password: string) {
  const [sponsor] = await e2eSql<{ id: string; name: string }>(
    `SELECT s.id, s.name FROM "Sponsor" s JOIN "SponsorTier" t ON t.id = s."tierId" WHERE NOT t."includesAttendeeList" ORDER BY s.name LIMIT 1`,
  );
  const email = `booth-${randomBytes(4).toString("hex")}@sponsor.example`;
  await e2eSql(`INSERT INTO "User" (id, email, name, role, "sponsorId", "passwordHash", "updatedAt") VALUES ($1, $2, 'Booth Person', 'SPONSOR', $3, $4, now())`, [
    id(),
    email,
    sponsor!.id,
    await hash(password),
  ]);
  return { email, sponsor: sponsor! };
}
