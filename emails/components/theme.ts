// The event's look in email: ink, neodymium violet and copper, as on the site. Clients strip
// <style> blocks, so every template styles elements inline through these objects.
import type { CSSProperties } from "react";

export const colors = {
  ink: "#14123a",
  inkSoft: "#3b3a5c",
  muted: "#5b5a78",
  line: "#dcdbe8",
  surface: "#ffffff",
  tint: "#f6f5fb",
  violet: "#4c2a9e",
  violetSoft: "#efe9fc",
  copper: "#e0833a",
  // Copper is too light for text on white; this darker shade passes contrast.
  copperInk: "#8a3f0c",
} as const;

const font = '-apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const styles = {
  body: { backgroundColor: colors.tint, margin: 0, padding: "24px 0", fontFamily: font, color: colors.ink },
  container: { backgroundColor: colors.surface, maxWidth: "600px", width: "100%", margin: "0 auto", border: `1px solid ${colors.line}` },
  content: { padding: "28px 32px 8px" },
  heading: { fontSize: "24px", lineHeight: "30px", fontWeight: 800, margin: "0 0 16px", color: colors.ink },
  subheading: { fontSize: "17px", lineHeight: "24px", fontWeight: 700, margin: "24px 0 8px", color: colors.ink },
  text: { fontSize: "16px", lineHeight: "24px", margin: "0 0 16px", color: colors.ink },
  small: { fontSize: "13px", lineHeight: "20px", margin: "0 0 8px", color: colors.muted },
  link: { color: colors.violet, textDecoration: "underline" },
  button: {
    backgroundColor: colors.violet,
    color: "#ffffff",
    fontSize: "16px",
    fontWeight: 700,
    textDecoration: "none",
    borderRadius: "999px",
    padding: "12px 24px",
    display: "inline-block",
  },
  label: { fontSize: "13px", lineHeight: "18px", color: colors.muted, margin: 0, fontWeight: 600 },
  value: { fontSize: "16px", lineHeight: "22px", color: colors.ink, margin: "0 0 12px", fontWeight: 600 },
  cell: { padding: "8px 0", borderBottom: `1px solid ${colors.line}`, fontSize: "15px", lineHeight: "22px", verticalAlign: "top" },
  numberCell: { padding: "8px 0 8px 12px", borderBottom: `1px solid ${colors.line}`, fontSize: "15px", lineHeight: "22px", textAlign: "right", whiteSpace: "nowrap", verticalAlign: "top" },
  box: { backgroundColor: colors.violetSoft, borderRadius: "12px", padding: "16px 20px", margin: "0 0 20px" },
  code: { fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: "20px", letterSpacing: "0.12em", fontWeight: 700, margin: "0 0 12px", color: colors.ink },
} satisfies Record<string, CSSProperties>;
