import { describe, expect, it } from "vitest";
import { decimal, flag, integer, parseCommand, UsageError, value, type CommandSpec, type Flag } from "../../experiments/args.ts";

const spec = {
  usage: "test -- DIR",
  summary: "a test command",
  positionals: { names: "the folder (DIR)", min: 1, max: 1 },
  flags: {
    count: value("N", "how many", integer(1, 10)),
    run: value("N", "which run", integer(0)),
    tolerance: value("X", "how much", decimal(0)),
    dry: flag("do nothing"),
  },
} satisfies CommandSpec<Record<string, Flag>>;

const parse = (...argv: string[]) => parseCommand(spec, argv);
const mistake = (...argv: string[]) => {
  try {
    parse(...argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${argv.join(" ")}`);
};

describe("the shared command-line parser", () => {
  it("takes --flag value and --flag=value alike", () => {
    expect(parse("d", "--count", "3", "--tolerance=0.5", "--dry").flags).toEqual({ count: 3, run: undefined, tolerance: 0.5, dry: true });
    expect(parse("--count=3", "d").flags.count).toBe(3);
  });

  it("answers --help and -h whatever else is on the line", () => {
    expect(parse("--help").help).toBe(true);
    expect(parse("-h").help).toBe(true);
    expect(parse("--bogus", "--count", "0", "--help").help).toBe(true);
    // After "--" everything is a positional.
    expect(parse("--", "--help").positionals).toEqual(["--help"]);
  });

  it("names the flag and what is valid", () => {
    expect(mistake("d", "--count", "0")).toBe('--count must be a whole number from 1 to 10, got "0"');
    expect(mistake("d", "--run", "x")).toBe('--run must be a whole number >= 0, got "x"');
    expect(mistake("d", "--tolerance", "1e-2")).toBe('--tolerance must be a decimal number >= 0, got "1e-2"');
    expect(mistake("d", "--cuont", "1")).toMatch(/^unknown option --cuont; did you mean --count\? \(valid: --help, --count, /);
    expect(mistake("d", "--count")).toBe("--count needs a value");
    expect(mistake("d", "--dry=yes")).toBe("--dry takes no value");
    expect(mistake()).toBe("missing the folder (DIR)");
    expect(mistake("a", "b")).toBe('too many arguments: "b" (expected the folder (DIR))');
  });

  it("explains a value that starts with a dash", () => {
    expect(mistake("d", "--tolerance", "-1")).toBe('--tolerance needs a value; to give it "-1", write --tolerance=-1');
    expect(mistake("d", "--tolerance=-1")).toBe('--tolerance must be a decimal number >= 0, got "-1"');
    expect(mistake("d", "--count", "--dry")).toBe("--count needs a value");
  });
});
