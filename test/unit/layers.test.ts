import path from "node:path";
import { cruise, type ICruiseResult, type IViolation } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

async function violationsIn(dirs: string[], baseDir: string, tsConfig: boolean) {
  const options = await extractDepcruiseOptions(path.join(root, ".dependency-cruiser.cjs"));
  const result = await cruise(
    dirs,
    { ...options, validate: true, baseDir, ...(tsConfig ? {} : { tsConfig: undefined }) },
    undefined,
    tsConfig ? { tsConfig: extractTSConfig(path.join(root, "tsconfig.json")) } : undefined,
  );
  return (result.output as ICruiseResult).summary.violations;
}

const described = (violations: IViolation[]) => violations.map((v) => `${v.from} → ${v.to} (${v.rule.name})`);

describe("layers", () => {
  it("keeps every import of app/, emails/ and documents/ on the arrows routes → domain → services", async () => {
    const violations = await violationsIn(["app", "emails", "documents"], root, true);
    expect(described(violations), "imports against the layers (rules in .dependency-cruiser.cjs)").toEqual([]);
  }, 120_000);

  it("fails on a service that imports the domain", async () => {
    const violations = await violationsIn(["app"], path.join(root, "test/fixtures/layers"), false);
    expect(described(violations)).toEqual(["app/services/x.server.ts → app/domain/y.server.ts (services-know-no-rules)"]);
  }, 120_000);
});
