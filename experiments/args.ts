/**
 * One command-line parser for every leaklab command (experiment, merge, trace, k8s, cost,
 * report, compare): node:util's parseArgs underneath, so `--flag value` and `--flag=value`
 * both work; each command declares its flags once, with the text --help prints and a parser
 * for the value. A mistake is a one-line message naming the flag and what is valid, exit
 * code 2, never a stack trace.
 */
import { parseArgs } from "node:util";
import { nearest } from "../sim/errors.ts";

/** A user's mistake on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {}

interface FlagBase {
  /** What --help says, e.g. "write results here (default: results/<name>/)". */
  help: string;
}

export interface ValueFlag<T> extends FlagBase {
  kind: "value";
  /** Placeholder in --help, e.g. "DIR". */
  value: string;
  parse: (text: string, flag: string) => T;
}

export interface SwitchFlag extends FlagBase {
  kind: "switch";
}

export type Flag = ValueFlag<unknown> | SwitchFlag;

export interface CommandSpec<F extends Record<string, Flag>> {
  /** e.g. "npm run experiment -- SWEEP.json" */
  usage: string;
  summary: string;
  flags: F;
  /** Names of the positional arguments, for messages; `min` of them are required. */
  positionals: { names: string; min: number; max: number };
}

type Parsed<F extends Record<string, Flag>> = {
  [K in keyof F]: F[K] extends ValueFlag<infer T> ? T | undefined : boolean;
};

export interface ParsedCommand<F extends Record<string, Flag>> {
  flags: Parsed<F>;
  positionals: string[];
  /** --help was asked for: print `helpText` and exit 0. */
  help: boolean;
}

export function value<T>(valueName: string, help: string, parse: (text: string, flag: string) => T): ValueFlag<T> {
  return { kind: "value", value: valueName, help, parse };
}

export function flag(help: string): SwitchFlag {
  return { kind: "switch", help };
}

export function parseCommand<F extends Record<string, Flag>>(spec: CommandSpec<F>, argv: readonly string[]): ParsedCommand<F> {
  // --help (or -h) wins over everything else on the line, mistakes included: whoever asks for
  // help gets it. Arguments after "--" are positionals, not flags.
  const end = argv.indexOf("--");
  if ((end < 0 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h")) {
    return { flags: {} as Parsed<F>, positionals: [], help: true };
  }
  const options: Record<string, { type: "string" | "boolean" }> = { help: { type: "boolean" } };
  for (const [name, f] of Object.entries(spec.flags)) options[name] = { type: f.kind === "value" ? "string" : "boolean" };
  let raw: ReturnType<typeof parseArgs>;
  try {
    raw = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(explain(e as Error & { code?: string }, Object.keys(options), argv));
  }
  const flags: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(spec.flags)) {
    const v = raw.values[name];
    if (f.kind === "switch") flags[name] = v === true;
    else flags[name] = typeof v === "string" ? f.parse(v, `--${name}`) : undefined;
  }
  const { names, min, max } = spec.positionals;
  if (raw.positionals.length < min) throw new UsageError(`missing ${names}`);
  if (raw.positionals.length > max) throw new UsageError(`too many arguments: ${raw.positionals.slice(max).map((p) => JSON.stringify(p)).join(" ")} (expected ${names})`);
  return { flags: flags as Parsed<F>, positionals: raw.positionals, help: false };
}

/** parseArgs' errors, reworded to name the flag and what is valid. */
function explain(e: Error & { code?: string }, known: string[], argv: readonly string[]): string {
  const flagName = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1] ?? "";
  const valid = known.map((k) => `--${k}`).join(", ");
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const guess = nearest(flagName.replace(/^-+/, ""), known);
      return `unknown option ${flagName}${guess ? `; did you mean --${guess}?` : ""} (valid: ${valid})`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      if (/argument missing/.test(e.message)) return `${flagName} needs a value`;
      if (!/ambiguous/.test(e.message)) return `${flagName} takes no value`;
      // `--flag -1`: parseArgs takes no value that starts with "-" (it may be the next flag).
      const next = argv[argv.indexOf(flagName) + 1] ?? "--";
      return next.startsWith("--") ? `${flagName} needs a value` : `${flagName} needs a value; to give it ${JSON.stringify(next)}, write ${flagName}=${next}`;
    }
    default:
      return e.message;
  }
}

export function helpText<F extends Record<string, Flag>>(spec: CommandSpec<F>): string {
  const rows = Object.entries(spec.flags).map(([name, f]) => [`--${name}${f.kind === "value" ? ` ${f.value}` : ""}`, f.help]);
  rows.push(["--help", "this text"]);
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  return `usage: ${spec.usage}\n\n${spec.summary}\n\n${rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`).join("\n")}\n`;
}

/** A whole number within [min, max], written in plain decimal digits (not 0x2, 1e0, " 2"). */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (text: string, flag: string) => number {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  return (text, flag) => {
    const n = /^(0|[1-9][0-9]*)$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) throw new UsageError(`${flag} must be a whole number ${range}, got ${JSON.stringify(text)}`);
    return n;
  };
}

/**
 * A whole number from `min` to `max` for a size limit, in decimal digits or with a power of ten
 * (1000000, 1e6, 2.5e9), since limits run to twelve digits.
 */
export function amount(min: number, max: number): (text: string, flag: string) => number {
  return (text, flag) => {
    const n = /^(0|[1-9][0-9]*)$|^[1-9](\.[0-9]+)?e[0-9]{1,2}$/.test(text) ? Number(text) : NaN;
    if (!(Number.isInteger(n) && n >= min && n <= max)) {
      throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, like 1000000 or 1e6, got ${JSON.stringify(text)}`);
    }
    return n;
  };
}

/** A number >= min, written in decimal. */
export function decimal(min: number): (text: string, flag: string) => number {
  return (text, flag) => {
    const n = /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : NaN;
    if (!(n >= min)) throw new UsageError(`${flag} must be a decimal number >= ${min}, got ${JSON.stringify(text)}`);
    return n;
  };
}

export function oneOf<const V extends readonly string[]>(values: V): (text: string, flag: string) => V[number] {
  return (text, flag) => {
    if (!values.includes(text)) throw new UsageError(`${flag} must be one of ${values.join(", ")}, got ${JSON.stringify(text)}`);
    return text as V[number];
  };
}

export const text = (t: string, flag: string): string => {
  if (t === "") throw new UsageError(`${flag} must not be empty`);
  return t;
};
