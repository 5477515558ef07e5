import type { MetaDescriptor } from "@remix-run/node";

type RootData = { origin: string; siteName: string } | undefined;

/** Title, description, canonical URL and OpenGraph/Twitter tags for a page. */
export function pageMeta(
  root: RootData,
  page: { title: string; description: string; path: string; type?: "website" | "article" | "profile" },
): MetaDescriptor[] {
  const siteName = root?.siteName ?? "RE3M 2025";
  const origin = root?.origin ?? "";
  const url = `${origin}${page.path}`;
  const title = page.title === siteName ? page.title : `${page.title} · ${siteName}`;
  const description = page.description.length > 200 ? `${page.description.slice(0, 197).trimEnd()}…` : page.description;
  return [
    { title },
    { name: "description", content: description },
    { tagName: "link", rel: "canonical", href: url },
    { property: "og:site_name", content: siteName },
    { property: "og:type", content: page.type ?? "website" },
    { property: "og:title", content: title },
    { property: "og:description", content: description },
    { property: "og:url", content: url },
    { property: "og:image", content: `${origin}/og-image.png` },
    { property: "og:image:width", content: "1200" },
    { property: "og:image:height", content: "630" },
    { name: "twitter:card", content: "summary_large_image" },
  ];
}

/** The root loader's data, as meta functions see it in `matches`. */
export function rootData(matches: ReadonlyArray<{ id: string; data?: unknown } | undefined>): RootData {
  return matches.find((m) => m?.id === "root")?.data as RootData;
}
