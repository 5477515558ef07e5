// The real server.ts in a child process, started as `npm start` starts it (it builds first when the
// build is missing or stale), for tests that stop it the hard way and start it again.
import { spawn, type ChildProcess } from "node:child_process";

export type ServerProcess = {
  origin: string;
  /** performance.now() when the process was spawned, and when /healthz first answered 200. */
  spawnedAt: number;
  readyAt: number;
  /** The last lines it wrote to stderr (warnings and errors), for a failing test's message. */
  output(): string;
  /** Sends the signal and waits for the process to end. */
  kill(signal: NodeJS.Signals): Promise<void>;
};

async function answers(url: string) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** Starts server.ts on `port` with `env` on top of this process's environment; resolves once /healthz answers 200. */
export async function startServerProcess(port: number, env: Record<string, string>, timeoutMs = 120_000): Promise<ServerProcess> {
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env, PORT: String(port) },
  });
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // If the test process itself dies, the server must not outlive it.
  const orphaned = () => child.kill("SIGKILL");
  process.once("exit", orphaned);
  const origin = `http://127.0.0.1:${port}`;
  const until = spawnedAt + timeoutMs;
  while (!(await answers(`${origin}/healthz`))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server.ts exited (${child.exitCode ?? child.signalCode}) before answering:\n${output}`);
    if (performance.now() > until) {
      child.kill("SIGKILL");
      throw new Error(`server.ts did not answer within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    origin,
    spawnedAt,
    readyAt: performance.now(),
    output: () => output,
    async kill(signal) {
      process.off("exit", orphaned);
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
