// PDF documents (invoices, credit notes) rendered with @react-pdf/renderer from the templates in
// documents/. Noto Sans is embedded: names and companies in Latin, Greek and Cyrillic scripts
// render with their accents, which the PDF standard fonts (Latin-1 only) cannot do.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { Font, renderToBuffer } from "@react-pdf/renderer";
import { createElement, type ReactElement } from "react";
import { InvoiceDocument, type InvoiceDocumentProps } from "../../documents/invoice";

const require = createRequire(import.meta.url);

/** Each script of Noto Sans is its own file; text falls back along this list, glyph by glyph. */
const SCRIPTS = ["latin", "latin-ext", "greek", "cyrillic"] as const;
export const PDF_FONTS = SCRIPTS.map((s) => `Noto Sans ${s}`);

/**
 * A WOFF font as the plain TrueType file inside it. fontkit inflates a WOFF table again on every
 * read, which made one invoice cost about 230 ms, nine tenths of it decompressing the same tables;
 * unpacked once at start, an invoice takes a fraction of that.
 */
export function woffToTtf(woff: Buffer): Buffer {
  if (woff.toString("latin1", 0, 4) !== "wOFF") throw new Error("not a WOFF font");
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const [offset, compLength, origLength] = [woff.readUInt32BE(at + 4), woff.readUInt32BE(at + 8), woff.readUInt32BE(at + 12)];
    const raw = woff.subarray(offset, offset + compLength);
    return { tag: woff.subarray(at, at + 4), checksum: woff.readUInt32BE(at + 16), data: compLength < origLength ? inflateSync(raw) : raw };
  });
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + numTables * 16);
  woff.copy(header, 0, 4, 8); // the sfnt version ("flavor")
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const bodies: Buffer[] = [];
  let offset = header.length;
  tables.forEach((table, i) => {
    const at = 12 + i * 16;
    table.tag.copy(header, at);
    header.writeUInt32BE(table.checksum, at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(table.data.length, at + 12);
    const padded = Buffer.alloc(Math.ceil(table.data.length / 4) * 4);
    table.data.copy(padded);
    bodies.push(padded);
    offset += padded.length;
  });
  return Buffer.concat([header, ...bodies]);
}

let registered = false;
function registerFonts() {
  if (registered) return;
  const files = path.dirname(require.resolve("@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff"));
  for (const script of SCRIPTS) {
    Font.register({
      family: `Noto Sans ${script}`,
      fonts: [400, 700].map((weight) => {
        const ttf = woffToTtf(readFileSync(path.join(files, `noto-sans-${script}-${weight}-normal.woff`)));
        return { src: `data:font/ttf;base64,${ttf.toString("base64")}`, fontWeight: weight };
      }),
    });
  }
  registered = true;
}

const templates = { invoice: InvoiceDocument } as const;
export type PdfTemplate = keyof typeof templates;

/** A template rendered to a PDF file's bytes. */
export async function renderPdf(template: "invoice", props: Omit<InvoiceDocumentProps, "fontFamily">): Promise<Buffer> {
  registerFonts();
  const element = createElement(templates[template], { ...props, fontFamily: PDF_FONTS }) as unknown as ReactElement;
  return renderToBuffer(element as Parameters<typeof renderToBuffer>[0]);
}
