/**
 * How every leaklab command runs: parse its flags (args.ts), answer --help, run the body, and
 * turn the errors a user can cause (a bad flag, sweep, scenario, output folder or store) into
 * one line on stderr and exit code 2. Only a bug prints a stack trace.
 */
import { pathToFileURL } from "node:url";
import { SpecError } from "../sim/errors.ts";
import { helpText, parseCommand, UsageError, type CommandSpec, type Flag, type ParsedCommand } from "./args.ts";
import { StoreError } from "./store/errors.ts";

/** A problem with the user's input that is not about one flag (an unreadable file, an unusable folder). */
export class InputError extends Error {}

export async function runCommand<F extends Record<string, Flag>>(
  spec: CommandSpec<F>, body: (parsed: ParsedCommand<F>) => Promise<number> | number, argv = process.argv.slice(2),
): Promise<void> {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  try {
    const parsed = parseCommand(spec, argv);
    if (parsed.help) {
      process.stdout.write(helpText(spec));
      process.exitCode = 0;
      return;
    }
    process.exitCode = await body(parsed);
  } catch (e) {
    process.exitCode = report(e);
  }
}

/** Prints an error the way the commands do and returns the exit code. */
export function report(e: unknown): number {
  const line = userErrorLine(e);
  if (line !== undefined) {
    console.error(line);
    return 2;
  }
  console.error(e);
  return 1;
}

/** The one line a user's mistake is reported with (exit code 2); undefined for a bug. */
export function userErrorLine(e: unknown): string | undefined {
  if (e instanceof UsageError) return `error: ${e.message} (see --help)`;
  if (e instanceof SpecError || e instanceof StoreError || e instanceof InputError) return `error: ${e.message}`;
  return undefined;
}

/** True when this module's file is the script node was started with. */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;
}
