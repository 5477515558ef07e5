// QR codes as PNG for email, where SVG and data: URLs do not display. `qrcode` computes the code;
// this only writes its modules as a two-colour PNG, because qrcode's own PNG renderer paints every
// pixel in JavaScript and blocks the event loop once per ticket email (ADR 0009).
import { crc32, deflateSync } from "node:zlib";
import QRCode from "qrcode";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer) {
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const out = Buffer.alloc(typeAndData.length + 8);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(crc32(typeAndData), typeAndData.length + 4);
  return out;
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

export type QrPngOptions = {
  /** Quiet zone around the code, in modules (the standard asks for 4; 2 scans fine on screens). */
  margin?: number;
  /** Pixels per module. */
  scale?: number;
  dark?: string;
  light?: string;
};

/** The QR code of `text` (error correction M) as a PNG image. */
export function qrPng(text: string, { margin = 2, scale = 14, dark = "#14123a", light = "#ffffff" }: QrPngOptions = {}): Buffer {
  const { size, data } = QRCode.create(text, { errorCorrectionLevel: "M" }).modules;
  const side = (size + margin * 2) * scale;
  // Each scanline: a filter byte (0, none), then one bit per pixel (palette index 1 = light).
  const stride = 1 + Math.ceil(side / 8);
  const raw = Buffer.alloc(stride * side);
  const line = Buffer.alloc(stride);
  for (let row = 0; row < size + margin * 2; row++) {
    line.fill(0);
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - margin;
      const my = row - margin;
      const isDark = my >= 0 && my < size && mx >= 0 && mx < size && data[my * size + mx] !== 0;
      if (!isDark) line[1 + (x >> 3)] |= 0x80 >> (x & 7);
    }
    for (let copy = 0; copy < scale; copy++) line.copy(raw, (row * scale + copy) * stride);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 1; // bit depth
  header[9] = 3; // colour type: palette
  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", header),
    chunk("PLTE", Buffer.from([...rgb(dark), ...rgb(light)])),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
