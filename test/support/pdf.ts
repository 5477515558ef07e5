// Reads a PDF the way Firefox's viewer does (pdf.js): its text per page, and its metadata; for
// layout tests, each page's size, where each run of text sits, and the QR codes its images hold.
import jsQR from "jsqr";
import { getDocument, ImageKind, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";

type TextItem = { str: string; x: number; y: number; width: number; height: number };

async function open(bytes: Uint8Array) {
  // Without an OffscreenCanvas (Node has none) pdf.js hands images over as pixels, which the QR reader needs.
  return getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, isOffscreenCanvasSupported: false }).promise;
}

export async function readPdf(bytes: Uint8Array) {
  const pdf = await open(bytes);
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

/** Each page's size in points, its runs of text (x and y of the baseline's start, from the bottom left) and the QR codes in its images. */
export async function readPdfLayout(bytes: Uint8Array) {
  const pdf = await open(bytes);
  const pages: { width: number; height: number; items: TextItem[]; images: number; qrCodes: string[] }[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const [, , width, height] = page.view as [number, number, number, number];
    const items = (await page.getTextContent()).items.flatMap((item) =>
      "str" in item && item.str.trim() ? [{ str: item.str, x: item.transform[4] as number, y: item.transform[5] as number, width: item.width, height: item.height }] : [],
    );
    const ops = await page.getOperatorList();
    const qrCodes: string[] = [];
    let images = 0;
    ops.fnArray.forEach((fn, i) => {
      if (fn !== OPS.paintImageXObject) return;
      images++;
      const code = jsQR(...rgbaOf(page.objs.get(ops.argsArray[i][0] as string) as PdfImage));
      if (code) qrCodes.push(code.data);
    });
    pages.push({ width, height, items, images, qrCodes });
  }
  await pdf.destroy();
  return pages;
}

type PdfImage = { width: number; height: number; kind: number; data: Uint8Array };

/** An image's pixels as jsQR takes them (RGBA), inside a white border: the quiet zone a reader wants. */
function rgbaOf(image: PdfImage): [Uint8ClampedArray, number, number] {
  const border = Math.ceil(image.width / 10);
  const [w, h] = [image.width + 2 * border, image.height + 2 * border];
  const out = new Uint8ClampedArray(w * h * 4).fill(255);
  const rowBytes = image.kind === ImageKind.GRAYSCALE_1BPP ? Math.ceil(image.width / 8) : image.width * (image.kind === ImageKind.RGB_24BPP ? 3 : 4);
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++) {
      let value: number;
      if (image.kind === ImageKind.GRAYSCALE_1BPP) value = (image.data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
      else value = image.data[y * rowBytes + x * (image.kind === ImageKind.RGB_24BPP ? 3 : 4)]!;
      const at = ((y + border) * w + x + border) * 4;
      out[at] = out[at + 1] = out[at + 2] = value;
    }
  return [out, w, h];
}
