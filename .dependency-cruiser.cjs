// The layers of DESIGN.md ("Layers"): routes (and their helpers) → domain → services, never back.
// Checked by test/unit/layers.test.ts, which runs with `npm test`.
const ui = "^app/(routes|route-helpers|components)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "services-know-no-rules",
      comment: "Services are infrastructure: the domain, the routes and the UI build on them, not the other way.",
      severity: "error",
      from: { path: "^app/services/" },
      to: { path: ["^app/domain/", ui] },
    },
    {
      name: "domain-knows-no-pages",
      comment: "The domain is called by pages, jobs and tests alike, so it cannot depend on any page.",
      severity: "error",
      from: { path: "^app/domain/" },
      to: { path: ui },
    },
    {
      name: "domain-knows-no-http",
      comment: "The domain takes plain inputs and throws DomainError; routes turn its answers into responses.",
      severity: "error",
      from: { path: "^app/domain/" },
      to: { path: ["node_modules/(@remix-run/[^/]+|react|react-dom)/", "^(@remix-run/[^/]+|react|react-dom)$"] },
    },
    {
      name: "emails-are-templates",
      comment: "Templates take props and return JSX; what an email says is composed in the domain.",
      severity: "error",
      from: { path: "^emails/" },
      to: { path: ["^app/(domain|services)/", ui] },
    },
    {
      name: "documents-are-templates",
      comment: "PDF templates take props and return react-pdf elements; what a document says is composed in the domain.",
      severity: "error",
      from: { path: "^documents/" },
      to: { path: ["^app/(domain|services)/", ui] },
    },
    {
      name: "app-needs-no-tests",
      comment: "The app must build and run without the test folder (doubles, fixtures).",
      severity: "error",
      from: { path: "^app/" },
      to: { path: "^test/" },
    },
    {
      name: "no-domain-cycles",
      comment: "A cycle between domain modules makes their load order, and so their behaviour, depend on who imports first.",
      severity: "error",
      from: { path: "^app/domain/" },
      to: { path: "^app/domain/", circular: true },
    },
    {
      name: "browser-zod-through-its-module",
      comment: "Code that can reach the browser imports zod from app/validation/zod.ts: zod/mini as a namespace the bundler can trim, set jitless before any schema is built (ADR 0021). One classic zod import there would bring every kind of schema back to every form page.",
      severity: "error",
      from: { path: "^app/", pathNot: ["[.]server[.]tsx?$", "^app/validation/zod[.]ts$"] },
      to: { path: "node_modules/zod/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^app/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".d.ts"],
    },
  },
};
