// Structured one-line logs to stdout; LOG_LEVEL decides what is written.
import { env } from "./env.server";

const levels = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 } as const;
type Level = Exclude<keyof typeof levels, "silent">;

const writes = (level: Level) => levels[level] <= levels[env().LOG_LEVEL];

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  if (!writes(level)) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log = {
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  /** Whether lines of this level are written (LOG_LEVEL): a line that costs work to make may be skipped. */
  writes,
};
