// CSV files read back with a real parser (csv-parse): as a spreadsheet that honours quotes reads
// them, and as one that splits every line on its own separator and ignores our quotes (French and
// German locales split on `;`).
import { parse } from "csv-parse/sync";

/** Records keyed by the header row, quotes honoured. */
export function csvRecords(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true });
}

/** Every cell a spreadsheet splitting on `delimiter`, blind to quotes, would make of the file. */
export function cellsSplitOn(text: string, delimiter: "," | ";" | "\t"): string[] {
  return (parse(text, { delimiter, quote: false, bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][]).flat();
}

// A spreadsheet runs a cell starting with one of these; leading spaces and stray quotes do not stop it.
const RUNS_AS_FORMULA = /^[\s"]*[=+\-@\t\r]/;
// A negative amount ("-296.30", quoted or not) is read as a number, not run.
const PLAIN_NUMBER = /^"?-?\d+(\.\d+)?"?$/;

/** The cells a spreadsheet would run as formulas, read with each separator it might use. */
export function formulaCells(text: string): string[] {
  const honoured = csvRecords(text).flatMap((record) => Object.values(record));
  const split = ([",", ";", "\t"] as const).flatMap((delimiter) => cellsSplitOn(text, delimiter));
  return [...honoured, ...split].filter((cell) => RUNS_AS_FORMULA.test(cell) && !PLAIN_NUMBER.test(cell));
}
