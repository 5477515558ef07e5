// html-to-text 10 ships no type declarations (and @types/html-to-text stops at 9): the part the
// mailer uses, a converter compiled once from its options.
declare module "html-to-text" {
  export type SelectorDefinition = { selector: string; format?: string; options?: Record<string, unknown> };
  export type HtmlToTextOptions = { wordwrap?: number | false | null; selectors?: SelectorDefinition[] };
  export function compile(options?: HtmlToTextOptions): (html: string) => string;
}
