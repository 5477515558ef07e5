// PDF documents (invoices, credit notes, name badges) rendered with @react-pdf/renderer from the
// templates in documents/, in the thread that calls: a PDF worker thread (pdf-worker.server.ts), or
// the main one when no worker can run (pdf.server.ts). Noto Sans and its sister families are
// embedded (pdf-fonts.server.ts): names and companies in Latin, Greek, Cyrillic, Arabic, Hebrew,
// Chinese, Japanese and Korean render, which the PDF standard fonts (Latin-1 only) cannot do.
import { renderToBuffer } from "@react-pdf/renderer";
import { createElement, type ReactElement } from "react";
import { BadgesDocument, type BadgesDocumentProps } from "../../documents/badges";
import { InvoiceDocument, type InvoiceDocumentProps } from "../../documents/invoice";
import { fontFamiliesFor } from "./pdf-fonts.server";

const templates = { invoice: InvoiceDocument, badges: BadgesDocument } as const;
type TemplateProps = { invoice: InvoiceDocumentProps; badges: BadgesDocumentProps };
export type PdfTemplate = keyof typeof templates;
/** What a caller gives a template: everything but the fonts, which the renderer chooses. */
export type PdfProps<T extends PdfTemplate> = Omit<TemplateProps[T], "fontFamily">;

/** Every string in a template's props, so that the fonts for all of them are embedded. */
export function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(textOf).join(" ");
  if (value && typeof value === "object" && !ArrayBuffer.isView(value)) return Object.values(value).map(textOf).join(" ");
  return "";
}

/** A template rendered to a PDF file's bytes, in this thread. */
export async function renderDocument<T extends PdfTemplate>(template: T, props: PdfProps<T>): Promise<Buffer> {
  const fontFamily = fontFamiliesFor(textOf(props));
  const element = createElement(templates[template] as (p: TemplateProps[T]) => ReactElement, { ...props, fontFamily } as TemplateProps[T]) as unknown as ReactElement;
  return renderToBuffer(element as Parameters<typeof renderToBuffer>[0]);
}
