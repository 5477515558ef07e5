// Fitting a name into a box on a printed badge: the largest size that holds it on one line, then
// two balanced lines at smaller sizes, and only then smaller still, broken anywhere. Text is never
// cut off: at worst it gets small. Widths come from a measure of the real font (the caller's).

export type Measure = (text: string, fontSize: number) => number;

export type FitBox = {
  width: number;
  height: number;
  /** Line height as a multiple of the font size, as the template sets it. */
  lineHeight: number;
  /** Sizes tried for one line, largest first. */
  oneLine: number[];
  /** Sizes tried for two lines, largest first. */
  twoLines: number[];
};

export type Fitted = { lines: string[]; fontSize: number; lineHeight: number };

/** Arabic letters reach further below the line (the dots of ي) than Latin ones: more space between lines. */
const DEEP = /\p{Script=Arabic}/u;
const DEEP_LEADING = 1.4;

/**
 * Where a line may end: after a space (dropped), after a hyphen, and between two Chinese,
 * Japanese or Korean characters where a word ends (ICU's dictionary: 高科技 stays whole).
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const HYPHENS = new Set(["-", "\u2010", "\u2013", "/"]);

function breaks(text: string): { end: number; start: number }[] {
  const chars = [...text];
  const found: { end: number; start: number }[] = [];
  const words = new Set([...new Intl.Segmenter(undefined, { granularity: "word" }).segment(text)].map((s) => s.index));
  let at = 0;
  chars.forEach((char, i) => {
    const next = chars[i + 1];
    at += char.length;
    if (next === undefined) return;
    if (char === " ") found.push({ end: at - 1, start: at });
    else if (HYPHENS.has(char) && next !== " ") found.push({ end: at, start: at });
    else if (CJK.test(char) && CJK.test(next) && words.has(at)) found.push({ end: at, start: at });
  });
  return found;
}

/** The two-line split whose longer line is shortest, if both lines fit the width. */
function twoLines(text: string, fontSize: number, box: FitBox, measure: Measure): string[] | null {
  let best: { lines: string[]; widest: number } | null = null;
  for (const { end, start } of breaks(text)) {
    const lines = [text.slice(0, end), text.slice(start)];
    const widest = Math.max(...lines.map((l) => measure(l, fontSize)));
    if (widest <= box.width && (!best || widest < best.widest)) best = { lines, widest };
  }
  return best?.lines ?? null;
}

const graphemes = (text: string) => [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].map((s) => s.segment);

/** The text cut at every place a line may end; `space`: a space stood before the piece. */
function pieces(text: string) {
  const found: { text: string; space: boolean }[] = [];
  let from = 0;
  let space = false;
  for (const { end, start } of breaks(text)) {
    found.push({ text: text.slice(from, end), space });
    space = start > end;
    from = start;
  }
  found.push({ text: text.slice(from), space });
  return found;
}

/** Lines filled greedily at the places a line may end; a piece too long for a line of its own is split between characters. */
function anywhere(text: string, fontSize: number, box: FitBox, measure: Measure): string[] {
  const lines: string[] = [];
  let line = "";
  for (const piece of pieces(text)) {
    const joined = line ? `${line}${piece.space ? " " : ""}${piece.text}` : piece.text;
    if (measure(joined, fontSize) <= box.width) {
      line = joined;
      continue;
    }
    if (line) lines.push(line);
    line = "";
    for (const part of measure(piece.text, fontSize) <= box.width ? [piece.text] : graphemes(piece.text)) {
      if (line && measure(line + part, fontSize) > box.width) {
        lines.push(line);
        line = "";
      }
      line += part;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** `text` (spaces collapsed) fitted into `box`. */
export function fitText(raw: string, box: FitBox, measure: Measure): Fitted {
  const text = raw.normalize("NFC").replace(/\s+/g, " ").trim();
  const lineHeight = DEEP.test(text) ? Math.max(box.lineHeight, DEEP_LEADING) : box.lineHeight;
  const tall = (lines: number, fontSize: number) => lines * fontSize * lineHeight <= box.height;
  for (const fontSize of box.oneLine) {
    if (measure(text, fontSize) <= box.width && tall(1, fontSize)) return { lines: [text], fontSize, lineHeight };
  }
  for (const fontSize of box.twoLines) {
    const lines = twoLines(text, fontSize, box, measure);
    if (lines && tall(2, fontSize)) return { lines, fontSize, lineHeight };
  }
  // A word too long for a line, or text too long for two lines: the largest size at which it
  // fills as many lines as the box's height allows, splitting a word only where it must.
  for (let fontSize = box.twoLines[0] ?? box.oneLine.at(-1)!; ; fontSize -= 0.5) {
    const lines = anywhere(text, fontSize, box, measure);
    if (tall(lines.length, fontSize) || fontSize <= 3) return { lines, fontSize, lineHeight };
  }
}
