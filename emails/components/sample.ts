// Sample props for the react-email preview (`npm run email:preview`). Real emails get theirs from
// app/services/mailer.server.ts; these only need to look like them.
import QRCode from "qrcode";
import type { EmailEvent } from "./layout";

export const sampleEvent: EmailEvent = {
  name: "Rare Earth Mines, Magnets & Motors 2025",
  shortName: "RE3M 2025",
  dates: "September 9–10, 2025",
  city: "Toronto",
  venueName: "The Lakeshore Grand Hotel",
  venueAddress: "1 Harbourview Promenade, Toronto, ON M5J 0Z9",
  organiser: "Adamas Intelligence",
  siteUrl: "http://localhost:3000",
};

export const sampleToken = "sample-7Qm2vX9kLp4RtZ8wN3bY6cH1dF5gJ0sA";

/**
 * Real emails carry the QR code as an attached PNG (cid:ticket-qr), which a browser preview cannot
 * show; the preview gets the same code drawn as an inline SVG instead.
 */
export function sampleQrDataUri(text: string): string {
  const { size, data } = QRCode.create(text, { errorCorrectionLevel: "M" }).modules;
  const quiet = 2;
  let path = "";
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (data[y * size + x]) path += `M${x + quiet} ${y + quiet}h1v1h-1z`;
  }
  const extent = size + quiet * 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${extent} ${extent}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="${path}" fill="#14123a"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}
