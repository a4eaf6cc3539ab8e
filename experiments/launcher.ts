/**
 * Stopping with the launcher. `npm run experiment` starts npm -> sh -> tsx -> this process,
 * and npm forwards a signal sent to npm alone to none of them: killed, npm leaves the sweep
 * running orphaned. So when started by npm, this process watches the launchers above it (on
 * Linux, through /proc) and treats the end of any of them as SIGTERM: in-flight runs finish,
 * the store stays resumable, nothing is written afterwards. A signal sent to the process group
 * (Ctrl-C in a terminal, `kill -- -PGID`) reaches this process directly and needs none of this.
 */
import { readFileSync } from "node:fs";

interface Ancestor {
  pid: number;
  ppid: number;
}

const POLL_MS = 1000;

/** Calls `onGone` once if a launcher above this process ends. Returns a function that stops watching. */
export function watchLaunchers(onGone: () => void): () => void {
  if (process.platform !== "linux" || process.env.npm_lifecycle_event === undefined) return () => undefined;
  const chain = launchers();
  if (chain.length === 0) return () => undefined;
  const timer = setInterval(() => {
    if (chain.every((a) => parentOf(a.pid) === a.ppid)) return;
    clearInterval(timer);
    onGone();
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** This process's ancestors up to and including the npm that started it. */
function launchers(): Ancestor[] {
  const chain: Ancestor[] = [];
  for (let pid = process.ppid; pid > 1 && chain.length < 8;) {
    const ppid = parentOf(pid);
    if (ppid === undefined) break;
    chain.push({ pid, ppid });
    if (/(^|\/)npm(-cli\.js)?( |\0|$)/.test(commandLine(pid))) return chain;
    pid = ppid;
  }
  return [];
}

function parentOf(pid: number): number | undefined {
  try {
    // Field 4 of /proc/PID/stat, after the parenthesised command name (which may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}
