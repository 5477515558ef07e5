// Which characters typed text may hold. Controls (C0, C1) and line breaks end an email header, a
// calendar line or a spreadsheet row in the programs that read our files; bidi controls (U+202E
// and its kin) make a name display as something else. Forms refuse them (validation/attendee.ts,
// in the browser too); emails, calendars and CSV strip them again, for what was stored before.

const NOT_IN_A_LINE = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u;
// A text area may hold line breaks (CR LF, as browsers send them) and tabs, nothing else hidden.
const NOT_IN_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Bidi_Control}\u2028\u2029]/u;

/** True when the text holds a character that must not be stored (see above). */
export function hasHiddenCharacters(text: string, { multiline = false }: { multiline?: boolean } = {}) {
  return (multiline ? NOT_IN_LINES : NOT_IN_A_LINE).test(text);
}

/** One line: each run of controls and line breaks becomes one space, bidi controls go. */
export function oneLine(text: string): string {
  return text
    .replace(/\p{Bidi_Control}/gu, "")
    .replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
    .trim();
}

/** Several lines: line breaks become `\n`, a tab a space; other controls and bidi controls go. */
export function plainLines(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, "\n")
    .replace(/\t/g, " ")
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\p{Bidi_Control}]/gu, "");
}
