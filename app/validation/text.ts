// PostgreSQL cannot store a NUL character in text. A free-text field carrying one (pasted from a
// binary file, or sent by a script) is refused with its own message instead of a failed query.
export const hasNoNul = (value: string) => !value.includes("\0");

/** The field's message: `label` names it as the form does ("Full name", "the track's name"). */
export const nulMessage = (label: string) =>
  `${label.charAt(0).toUpperCase()}${label.slice(1)} contains an invisible control character (NUL) that cannot be saved. Remove it and send the form again.`;
