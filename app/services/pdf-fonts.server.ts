// The fonts PDF documents embed: Noto Sans and its sister families from @fontsource, whose files
// are split by script (and, for Chinese and Korean, into about a hundred slices of characters). A
// document registers and lists only the files its text needs, so a page of Latin names loads no
// Chinese font, and a Chinese name loads the few slices that hold its characters (ADR 0014).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { Font } from "@react-pdf/renderer";

const require = createRequire(import.meta.url);

export const FONT_WEIGHTS = [400, 700] as const;
export type FontWeight = (typeof FONT_WEIGHTS)[number];

/**
 * The packages, in the order a character looks for its font: the first file whose range holds it
 * draws it. Simplified Chinese comes before Korean, so Han characters take their Chinese forms;
 * its files also hold the Japanese kana, and Korean's hold every Hangul syllable.
 */
const PACKAGES: { name: string; subsets: string[] | "slices" }[] = [
  { name: "noto-sans", subsets: ["latin", "latin-ext", "greek", "cyrillic", "vietnamese", "greek-ext", "cyrillic-ext"] },
  { name: "noto-sans-arabic", subsets: ["arabic"] },
  { name: "noto-sans-hebrew", subsets: ["hebrew"] },
  { name: "noto-sans-sc", subsets: "slices" },
  { name: "noto-sans-kr", subsets: "slices" },
];

/** Listed in every document whatever its text: a template's own words are Latin. */
const ALWAYS = 4;

type Face = { family: string; file: (weight: FontWeight) => string; ranges: [number, number][] };

/** "U+0000-00FF,U+0131" as code point ranges. */
function parseRanges(unicodeRange: string): [number, number][] {
  return unicodeRange.split(",").map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, "").split("-");
    return [parseInt(from!, 16), parseInt(to ?? from!, 16)];
  });
}

let catalogue: Face[] | null = null;
function faces(): Face[] {
  catalogue ??= PACKAGES.flatMap(({ name, subsets }) => {
    const ranges = require(`@fontsource/${name}/unicode.json`) as Record<string, string>;
    const files = path.dirname(require.resolve(`@fontsource/${name}/package.json`));
    // Slices are named "[57]" in unicode.json and "57" in file names.
    const chosen = subsets === "slices" ? Object.keys(ranges).filter((key) => /^\[\d+\]$/.test(key)) : subsets;
    return chosen.map((key) => {
      const subset = key.replace(/[[\]]/g, "");
      if (!ranges[key]) throw new Error(`@fontsource/${name} has no subset ${key}`);
      return {
        family: `${name} ${subset}`,
        file: (weight: FontWeight) => path.join(files, "files", `${name}-${subset}-${weight}-normal.woff`),
        ranges: parseRanges(ranges[key]),
      };
    });
  });
  return catalogue;
}

/**
 * A WOFF font as the plain TrueType file inside it. fontkit inflates a WOFF table again on every
 * read, which made one invoice cost about 230 ms, nine tenths of it decompressing the same tables;
 * unpacked once, an invoice takes a fraction of that.
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

const registered = new Set<string>();
function register(face: Face) {
  if (registered.has(face.family)) return;
  Font.register({
    family: face.family,
    fonts: FONT_WEIGHTS.map((weight) => ({ src: `data:font/ttf;base64,${woffToTtf(readFileSync(face.file(weight))).toString("base64")}`, fontWeight: weight })),
  });
  registered.add(face.family);
}

const holds = (face: Face, codePoint: number) => face.ranges.some(([from, to]) => codePoint >= from && codePoint <= to);

/**
 * The font families, first choice first, that draw `text`: the Latin, Greek and Cyrillic files,
 * then each other file that is the first to hold one of its characters. Registered on first use.
 * Characters no file holds (emoji, scripts not bundled) print as empty boxes.
 */
export function fontFamiliesFor(text: string): string[] {
  const all = faces();
  const needed = new Set(all.slice(0, ALWAYS));
  for (const char of new Set(text)) {
    const codePoint = char.codePointAt(0)!;
    if (codePoint < 0x250) continue; // Latin and Latin-1: the files always listed hold them.
    const face = all.find((f) => holds(f, codePoint));
    if (face) needed.add(face);
  }
  const families = all.filter((f) => needed.has(f));
  families.forEach(register);
  return families.map((f) => f.family);
}

type Glyphs = { unitsPerEm: number; hasGlyphForCodePoint(codePoint: number): boolean; layout(text: string): { advanceWidth: number } };

/** Measures text as the PDF renderer will set it, in points. */
export type MeasureText = (text: string, fontSize: number, fontWeight: FontWeight) => number;

/**
 * A measure of text widths with `families` (from fontFamiliesFor), glyph by glyph falling back
 * along the list as @react-pdf/textkit's font substitution does, so that text measured to fit a
 * width fits it once rendered.
 */
export async function textMeasure(families: string[]): Promise<MeasureText> {
  const fonts = new Map<FontWeight, Glyphs[]>();
  for (const fontWeight of FONT_WEIGHTS) {
    const stack: Glyphs[] = [];
    for (const fontFamily of families) {
      await Font.load({ fontFamily, fontWeight });
      stack.push(Font.getFont({ fontFamily, fontWeight })!.data as unknown as Glyphs);
    }
    fonts.set(fontWeight, stack);
  }
  return (text, fontSize, fontWeight) => {
    const stack = fonts.get(fontWeight)!;
    let width = 0;
    let run = "";
    let runFont: Glyphs | null = null;
    const close = () => {
      if (runFont && run) width += (runFont.layout(run).advanceWidth * fontSize) / runFont.unitsPerEm;
      run = "";
    };
    for (const char of text) {
      const codePoint = char.codePointAt(0)!;
      const font: Glyphs = [...stack, runFont].find((f) => f?.hasGlyphForCodePoint(codePoint)) ?? stack.at(-1)!;
      if (font !== runFont) {
        close();
        runFont = font;
      }
      run += char;
    }
    close();
    return width;
  };
}
