// PDF documents (invoices, credit notes) rendered with @react-pdf/renderer from the templates in
// documents/. Noto Sans is embedded: names and companies in Latin, Greek and Cyrillic scripts
// render with their accents, which the PDF standard fonts (Latin-1 only) cannot do.
import { createRequire } from "node:module";
import path from "node:path";
import { Font, renderToBuffer } from "@react-pdf/renderer";
import { createElement, type ReactElement } from "react";
import { InvoiceDocument, type InvoiceDocumentProps } from "../../documents/invoice";

const require = createRequire(import.meta.url);

/** Each script of Noto Sans is its own file; text falls back along this list, glyph by glyph. */
const SCRIPTS = ["latin", "latin-ext", "greek", "cyrillic"] as const;
export const PDF_FONTS = SCRIPTS.map((s) => `Noto Sans ${s}`);

let registered = false;
function registerFonts() {
  if (registered) return;
  const files = path.dirname(require.resolve("@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff"));
  for (const script of SCRIPTS) {
    Font.register({
      family: `Noto Sans ${script}`,
      fonts: [400, 700].map((weight) => ({ src: path.join(files, `noto-sans-${script}-${weight}-normal.woff`), fontWeight: weight })),
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
