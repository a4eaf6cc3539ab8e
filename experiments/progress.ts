/**
 * Progress of a sweep on stderr. The time estimate weighs each run by its expected work (its
 * pairs), so a sweep whose heavy points come last does not promise a short wait and then take
 * long. On a terminal one line is rewritten in place; elsewhere (CI logs, files) a line is
 * printed every few seconds, not one per run.
 */
const TTY_EVERY_MS = 200;
const LOG_EVERY_MS = 5000;

export interface ProgressInput {
  /** Runs this invocation is responsible for (the whole sweep, or a shard's share). */
  total: number;
  /** Of those, finished earlier and reused. */
  reused: number;
  /** Expected work of the runs still to do, in the unit of `cost`. */
  pendingCost: number;
  cost: (index: number) => number;
  write?: (text: string) => void;
  tty?: boolean;
}

export class Progress {
  private readonly t0 = Date.now();
  private done = 0;
  private failed = 0;
  private doneCost = 0;
  private lastPrint = 0;
  private readonly write: (text: string) => void;
  private readonly tty: boolean;

  constructor(private readonly x: ProgressInput) {
    this.write = x.write ?? ((t) => process.stderr.write(t));
    this.tty = x.tty ?? process.stderr.isTTY === true;
  }

  /** A run finished (ok or failed). */
  ran(index: number, ok: boolean): void {
    this.done++;
    if (!ok) this.failed++;
    this.doneCost += this.x.cost(index);
    const now = Date.now();
    const every = this.tty ? TTY_EVERY_MS : LOG_EVERY_MS;
    if (now - this.lastPrint >= every) {
      this.lastPrint = now;
      this.print(false);
    }
  }

  /** The closing line. */
  finish(): void {
    this.print(true);
  }

  line(): string {
    const x = this.x;
    const elapsed = (Date.now() - this.t0) / 1000;
    const left = x.pendingCost - this.doneCost;
    const eta = this.doneCost > 0 ? `~${fmtSeconds((elapsed * left) / this.doneCost)} left` : "estimating time left";
    const parts = [`runs ${x.reused + this.done}/${x.total}`];
    if (x.reused > 0) parts.push(`${x.reused} reused`);
    if (this.failed > 0) parts.push(`${this.failed} failed`);
    parts.push(`${fmtSeconds(elapsed)} elapsed`);
    if (x.reused + this.done < x.total) parts.push(eta);
    return parts.join(", ");
  }

  private print(last: boolean): void {
    if (this.tty) this.write(`\r${this.line()}\x1b[K${last ? "\n" : ""}`);
    else this.write(`${this.line()}\n`);
  }
}

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 90) return `${s.toFixed(1)} s`;
  if (s < 5400) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
