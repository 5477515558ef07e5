// QR codes drawn on the server with `qrcode`, so pages need no script and no remote image.
import QRCode from "qrcode";

/** An `<img>`-ready SVG data URL of a QR code for `payload` (for a ticket: its secret `qrCode`). */
export async function qrCodeSvgDataUrl(payload: string) {
  // Level M survives a scuffed printout or a cracked phone screen and keeps the symbol small.
  const svg = await QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}
