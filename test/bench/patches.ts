// Framework patches (patches/, ADR 0006) weighed on the default rush row: the same rush with each
// patch applied or not, in alternating rounds so that the machine's drift falls on every variant
// alike. It changes node_modules while it runs and leaves every patch applied when it ends.
import { execFileSync } from "node:child_process";
import { rushBench } from "./rush";
import type { Row } from "./support";

const PATCHES = {
  router: "patches/@remix-run+router+1.23.3.patch",
} as const;
type PatchName = keyof typeof PATCHES;

const VARIANTS: { name: string; applied: PatchName[] }[] = [
  { name: "no patch", applied: [] },
  { name: "router (as shipped)", applied: ["router"] },
];

function isApplied(file: string) {
  try {
    execFileSync("patch", ["-p1", "-R", "--dry-run", "-s", "-f", "-i", file], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function setApplied(name: PatchName, applied: boolean) {
  const file = PATCHES[name];
  if (isApplied(file) === applied) return;
  execFileSync("patch", ["-p1", ...(applied ? [] : ["-R"]), "-s", "-f", "-i", file], { stdio: "inherit" });
}

export async function patchesBench({ buyers, seats, rounds }: { buyers: number; seats: number; rounds: number }): Promise<Row[]> {
  const holds = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  const cpu = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      // Every other round runs the variants backwards, so none always follows the same neighbour.
      const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        for (const name of Object.keys(PATCHES) as PatchName[]) setApplied(name, variant.applied.includes(name));
        const [row] = await rushBench({ buyers, seats, defaultRowOnly: true });
        holds.get(variant.name)!.push(Number(row!["holds/s"]));
        cpu.get(variant.name)!.push(Number(row!["server CPU ms per buyer"]));
      }
    }
  } finally {
    for (const name of Object.keys(PATCHES) as PatchName[]) setApplied(name, true);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const baseline = median(holds.get("no patch")!);
  const cpuBaseline = median(cpu.get("no patch")!);
  return VARIANTS.map(({ name }) => {
    const values = holds.get(name)!;
    const cpuValues = cpu.get(name)!;
    return {
      variant: name,
      "holds/s per round": values.join(", "),
      "median holds/s": median(values),
      "gain over no patch": `${Math.round((median(values) / baseline - 1) * 100)}%`,
      // Steadier than holds/s when other programs share the machine: the server's own CPU.
      "server CPU ms per buyer, per round": cpuValues.join(", "),
      "median CPU ms": median(cpuValues),
      "CPU saved over no patch": `${Math.round((1 - median(cpuValues) / cpuBaseline) * 100)}%`,
    };
  });
}
