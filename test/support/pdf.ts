// Reads a PDF the way Firefox's viewer does (pdf.js): its text per page, and its metadata.
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

export async function readPdf(bytes: Uint8Array) {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    // Runs that touch (one word set in two fonts, such as "Tomáš" across Latin and Latin Extended)
    // join without a space, as a viewer's copy and search do; other runs are separate words.
    let text = "";
    let end: { x: number; y: number } | null = null;
    for (const item of content.items) {
      if (!("str" in item)) continue;
      const [x, y] = [item.transform[4] as number, item.transform[5] as number];
      const touching = end !== null && Math.abs(end.y - y) < 0.5 && Math.abs(end.x - x) < 0.5;
      text += (text && !touching && !text.endsWith("\n") ? " " : "") + item.str + (item.hasEOL ? "\n" : "");
      end = { x: x + item.width, y };
    }
    pages.push(text);
  }
  const info = (await pdf.getMetadata()).info as Record<string, unknown>;
  await pdf.destroy();
  return { pages, text: pages.join("\n"), title: String(info.Title ?? "") };
}
