/**
 * npm run screenshot -- results/NAME/report.html --out FILE.png [--width 1200] [--height 6000]
 *
 * Opens a report in headless Chromium (notebooks/lib/chromium.ts), checks it the way the
 * browser test does (no console errors, no network, every chart drawn) and saves a screenshot
 * of its top: how docs/operator-outage-report.png is made.
 */
import { existsSync, writeFileSync } from "node:fs";
import { integer, text, value, type CommandSpec, type Flag } from "../experiments/args.ts";
import { InputError, isMain, runCommand } from "../experiments/command.ts";
import { findChromium, inspectPage } from "./lib/chromium.ts";

export const screenshotSpec = {
  usage: "npm run screenshot -- REPORT.html --out FILE.png [--width 1200] [--height 6000]",
  summary: "Open a report in headless Chromium ($CHROMIUM or /usr/bin/chromium), check it, and save a PNG of its top.",
  positionals: { names: "the report (results/NAME/report.html)", min: 1, max: 1 },
  flags: {
    out: value("FILE", "write the PNG here", text),
    width: value("PX", "viewport width (default 1200)", integer(320, 4000)),
    height: value("PX", "at most this much of the page, from the top (default 6000)", integer(100, 20000)),
  },
} satisfies CommandSpec<Record<string, Flag>>;

if (isMain(import.meta.url)) {
  void runCommand(screenshotSpec, async ({ flags, positionals: [file] }) => {
    if (!existsSync(file)) throw new InputError(`${file} does not exist; write it with npm run report -- results/NAME`);
    if (flags.out === undefined) throw new InputError("--out FILE.png is required");
    const executable = findChromium();
    if (!executable) throw new InputError("no Chromium found (set CHROMIUM, or apt-get install -y chromium)");
    const page = await inspectPage(file, { executable, width: flags.width, maxHeight: flags.height ?? 6000 });
    const problems = [...page.consoleErrors.map((e) => `console error: ${e}`), ...page.requests.map((u) => `network request: ${u}`),
      ...page.charts.filter((c) => c.marks === 0).map((c) => `chart ${c.id} drew no marks`)];
    for (const p of problems) console.error(p);
    writeFileSync(flags.out, page.png);
    console.error(`${file}: ${page.charts.length} chart(s), ${Math.round(page.ink * 100)}% ink; wrote ${flags.out}`);
    return problems.length > 0 ? 1 : 0;
  });
}
