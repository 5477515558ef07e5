// The little Markdown an organiser's message may use, parsed to blocks of text runs that the email
// template renders with its own components: text is never HTML, so nothing typed can inject markup.
// Paragraphs (blank line between), "## " headings, "- " lists, **bold**, *italic*, [text](link).

export type Inline = { text: string; bold?: boolean; italic?: boolean; href?: string };
export type Block = { kind: "paragraph" | "heading"; inlines: Inline[] } | { kind: "list"; items: Inline[][] };

/** Links a message may carry: web pages and email addresses, nothing a mail client would run. */
export const isSafeHref = (href: string) => /^(https?:\/\/|mailto:)[^\s<>"]+$/i.test(href);

const INLINE = /\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*([^*\n]+)\*\*|\*([^*\n]+)\*|_([^_\n]+)_/g;

export function parseInlines(text: string): Inline[] {
  const runs: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) runs.push({ text: text.slice(last, match.index) });
    const [whole, label, href, bold, italic, underscored] = match;
    if (label !== undefined && href !== undefined) runs.push(isSafeHref(href) ? { text: label, href } : { text: whole });
    else if (bold !== undefined) runs.push({ text: bold, bold: true });
    else runs.push({ text: (italic ?? underscored)!, italic: true });
    last = match.index + whole.length;
  }
  if (last < text.length) runs.push({ text: text.slice(last) });
  return runs;
}

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of source.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    const lines = chunk.split("\n").map((l) => l.trim()).filter(Boolean);
    let paragraph: string[] = [];
    const flush = () => {
      if (paragraph.length) blocks.push({ kind: "paragraph", inlines: parseInlines(paragraph.join(" ")) });
      paragraph = [];
    };
    for (const line of lines) {
      const heading = /^#{1,3}\s+(.*)$/.exec(line);
      const item = /^[-*]\s+(.*)$/.exec(line);
      if (heading) {
        flush();
        blocks.push({ kind: "heading", inlines: parseInlines(heading[1]!) });
      } else if (item) {
        flush();
        const list = blocks.at(-1);
        if (list?.kind === "list") list.items.push(parseInlines(item[1]!));
        else blocks.push({ kind: "list", items: [parseInlines(item[1]!)] });
      } else {
        paragraph.push(line);
      }
    }
    flush();
  }
  return blocks;
}

/** The placeholders a message may hold, each filled per person. */
export const PLACEHOLDERS = ["name", "link"] as const;
const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/** Placeholders that are not ours ("{{ firstname }}"), to refuse before anything is sent. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!.toLowerCase()).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
}

export function fillPlaceholders(text: string, values: Record<(typeof PLACEHOLDERS)[number], string>) {
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name.toLowerCase() as keyof typeof values] ?? whole);
}
