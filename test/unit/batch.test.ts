import { describe, expect, it } from "vitest";
import { batched } from "~/services/batch.server";

describe("batched", () => {
  it("answers the calls of one turn with one run, each with its own result", async () => {
    const runs: number[][] = [];
    const double = batched(async (items: number[]) => {
      runs.push(items);
      return items.map((n) => n * 2);
    });
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
    // A later call is a batch of its own.
    expect(await double(5)).toBe(10);
    expect(runs).toEqual([[1, 2, 3], [5]]);
  });

  it("gathers calls made while a batch runs into the next one", async () => {
    const runs: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const echo = batched(async (items: string[]) => {
      runs.push(items);
      if (runs.length === 1) await gate;
      return items;
    });
    const first = echo("a");
    await new Promise((resolve) => setImmediate(resolve));
    const later = [echo("b"), echo("c")];
    release();
    expect(await Promise.all([first, ...later])).toEqual(["a", "b", "c"]);
    expect(runs).toEqual([["a"], ["b", "c"]]);
  });

  it("fails every call of a failed batch, and the next batch runs afresh", async () => {
    let fail = true;
    const load = batched(async (items: string[]) => {
      if (fail) throw new Error("database unavailable");
      return items.map((item) => item.toUpperCase());
    });
    const results = await Promise.allSettled([load("x"), load("y")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error("database unavailable"));
    fail = false;
    expect(await load("z")).toBe("Z");
  });
});
