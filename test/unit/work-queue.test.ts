import { describe, expect, it } from "vitest";
import { workQueue } from "~/services/work-queue.server";

/** A task that records when it starts and finishes only when the test lets it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** Lets every promise that can move on do so. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("the checkout work queue", () => {
  it("runs at most its limit at once and starts the others in arrival order", async () => {
    const { run } = workQueue(2);
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, gate);
    const results = gates.map((g, i) =>
      run(async () => {
        started.push(i);
        await g.opened;
        return i * 10;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);

    gates[1]!.open();
    await results[1];
    await settle();
    expect(started).toEqual([0, 1, 2]);

    for (const g of gates) g.open();
    expect(await Promise.all(results)).toEqual([0, 10, 20, 30, 40]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it("gives the slot of a failed task to the next one in line", async () => {
    const { run } = workQueue(1);
    const failing = run(async () => {
      throw new Error("payment provider down");
    });
    const next = run(async () => "served");
    await expect(failing).rejects.toThrow("payment provider down");
    expect(await next).toBe("served");
    expect(await run(async () => "and the one after")).toBe("and the one after");
  });

  it("ends a turn once, however often its end is called", async () => {
    const queue = workQueue(1);
    const leave = await queue.enter();
    let second = false;
    let third = false;
    const next = queue.enter().then((end) => ((second = true), end));
    const last = queue.enter().then((end) => ((third = true), end));
    leave();
    leave();
    const endSecond = await next;
    await settle();
    expect([second, third]).toEqual([true, false]);
    endSecond();
    (await last)();
    expect(third).toBe(true);
  });

  it("gives a turn within the time allowed, or gives up and leaves the line", async () => {
    const queue = workQueue(1);
    const leave = await queue.enter();
    // Nobody leaves in time: no turn, and the place in line is given up.
    expect(await queue.enterWithin(20)).toBeNull();
    const waiting = queue.enterWithin(1000);
    const after = queue.enter();
    leave();
    const turn = await waiting;
    expect(turn).toBeTypeOf("function");
    let third = false;
    void after.then(() => (third = true));
    await settle();
    expect(third).toBe(false);
    turn!();
    (await after)();
    // A free turn is taken at once.
    const free = await queue.enterWithin(0);
    expect(free).toBeTypeOf("function");
    free!();
  });

  it("says when no turn is taken any more, or when waiting has taken long enough", async () => {
    const queue = workQueue(2);
    // Idle: at once.
    let idle = false;
    await queue.whenIdle(1000).then(() => (idle = true));
    expect(idle).toBe(true);

    const first = await queue.enter();
    const second = await queue.enter();
    const third = queue.enter();
    idle = false;
    void queue.whenIdle(10_000).then(() => (idle = true));
    first();
    (await third)();
    await settle();
    // One turn is still taken.
    expect(idle).toBe(false);
    second();
    await settle();
    expect(idle).toBe(true);

    // A turn that is never given back: at most the time allowed.
    const holder = await queue.enter();
    const started = performance.now();
    await queue.whenIdle(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    holder();
  });
});
