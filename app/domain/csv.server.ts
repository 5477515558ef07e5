// The one CSV writer (organisers' exports, sponsors' lead lists, a person's data export): UTF-8
// with a byte-order mark so spreadsheets show accented names, streamed one batch per pull (or
// whole, for a small file), every cell safe to open.
import { oneLine, plainLines } from "./plain-text";

/** A column: its header, and whether its cells keep line breaks (notes typed in a text area). */
export type CsvColumn = { header: string; multiline?: boolean };

/** "-1234.50": digits with an optional sign and decimals, nothing a spreadsheet could run. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A spreadsheet runs a cell starting with `=`, `+`, `-` or `@` as a formula (OWASP: CSV injection).
 * One that splits on `;` or tab (French and German locales) ignores our quotes and starts a cell
 * after each separator, so every part a split on `,`, `;`, tab or a line break would start is
 * defused with an apostrophe, after any spaces or quotes. Tabs and CRs are gone by then.
 */
const FORMULA_AT_A_PART_START = /(^|[,;\t\n])([ "]*)(?=[=+\-@])/g;

/** What `oneLine` and `plainLines` remove or replace; most cells hold none of it and skip them. */
const HIDDEN = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u;

/** One cell as written: controls stripped (line breaks kept only when `multiline`), formulas defused. */
export function safeCell(value: unknown, { multiline = false }: { multiline?: boolean } = {}): string {
  if (value === null || value === undefined) return "";
  const text = value instanceof Date ? value.toISOString() : String(value);
  // A plain number, negative ones included (a credit note's amounts), is only a number.
  if (PLAIN_NUMBER.test(text)) return text;
  const plain = !HIDDEN.test(text) ? (multiline ? text : text.trim()) : multiline ? plainLines(text) : oneLine(text);
  return plain.replace(FORMULA_AT_A_PART_START, "$1$2'");
}

const BOM = "\uFEFF";

// Every non-empty cell quoted (RFC 4180: a quote inside is doubled), so a reader that honours quotes
// keeps each cell whole. With every cell quoted that is all CSV asks for; csv-stringify gave the same
// bytes at twice the cost of the rest of the writer (ADR 0021).
const quoted = (cell: string) => (cell === "" ? "" : `"${cell.replaceAll('"', '""')}"`);
const csvText = (rows: string[][]) => rows.map((row) => `${row.map(quoted).join(",")}\n`).join("");

const headerLine = (columns: CsvColumn[]) => BOM + csvText([columns.map((c) => safeCell(c.header))]);
const rowLines = (columns: CsvColumn[], rows: unknown[][]) => csvText(rows.map((row) => row.map((cell, i) => safeCell(cell, columns[i]))));

/** A whole CSV file at once, for lists small enough to hold (one person's data). */
export function csvDocument(columns: CsvColumn[], rows: unknown[][]): string {
  return headerLine(columns) + (rows.length > 0 ? rowLines(columns, rows) : "");
}

/** A streamed CSV body: BOM and header first, then one batch of rows (cell values) per pull. */
export function csvStream(columns: CsvColumn[], batches: AsyncIterator<unknown[][]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(headerLine(columns)));
          return;
        }
        // A pull that enqueued nothing would never be called again: skip empty batches.
        for (;;) {
          const next = await batches.next();
          if (next.done) return controller.close();
          if (next.value.length === 0) continue;
          controller.enqueue(encoder.encode(rowLines(columns, next.value)));
          return;
        }
      },
      async cancel() {
        await batches.return?.();
      },
    },
    // One batch waits in the queue at most: the reader sets the pace.
    { highWaterMark: 1 },
  );
}
