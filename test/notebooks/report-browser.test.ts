/**
 * The operator-outage report as a reader opens it: in a real headless Chromium (Debian's
 * `chromium` package; .ci/run installs it), started by this test. Skipped, saying why, only
 * where no browser is installed.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSweepIntoStore } from "../../experiments/session.ts";
import { loadSweep } from "../../experiments/sweepFile.ts";
import { buildReport, writeReport } from "../../notebooks/leak-report.ts";
import { findChromium, inspectPage } from "../../notebooks/lib/chromium.ts";

const chromium = findChromium();
const why = chromium ? "" : " [SKIPPED: no Chromium at $CHROMIUM, /usr/bin/chromium or /usr/bin/chromium-browser; apt-get install -y chromium]";

describe("operator-outage report in headless Chromium", () => {
  it.skipIf(!chromium)(`opens offline without console errors, every chart drawn, the page not blank${why}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklab-browser-"));
    await runSweepIntoStore(loadSweep("experiments/operator-outage.json"), { out: dir, workers: 2, resumeCommand: "", log: () => undefined });
    const report = await buildReport(dir);
    writeReport(report, dir);
    const page = await inspectPage(join(dir, "report.html"), { executable: chromium!, width: 1200 });
    const shot = join(dir, "report.png");
    writeFileSync(shot, page.png);
    console.log(`screenshot: ${shot}`);

    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.charts.map((c) => c.id)).toEqual(report.charts.map((c) => `chart-${c.id}`));
    for (const c of page.charts) {
      expect(c.marks, c.id).toBeGreaterThan(0);
      expect(c.width * c.height, c.id).toBeGreaterThan(100 * 100);
    }
    expect(page.textLength).toBeGreaterThan(1000);
    expect(page.png.subarray(1, 4).toString()).toBe("PNG");
    // Text, tables and charts cover a few percent of a white page; a blank one has none.
    expect(page.ink).toBeGreaterThan(0.02);
    expect(page.colours).toBeGreaterThan(20);
  });

  it.skipIf(!chromium)(`catches what a broken report would do: console errors, requests, empty charts, a blank page${why}`, async () => {
    const file = join(mkdtempSync(join(tmpdir(), "leaklab-browser-bad-")), "bad.html");
    writeFileSync(file, `<!DOCTYPE html><html><body><figure class="chart" id="chart-empty"><svg width="300" height="200"></svg></figure>
      <img src="http://127.0.0.1:9/logo.png"><script>console.error("boom"); null.x;</script></body></html>`);
    const page = await inspectPage(file, { executable: chromium! });
    expect(page.consoleErrors.join("\n")).toMatch(/boom/);
    expect(page.consoleErrors.join("\n")).toMatch(/TypeError/);
    expect(page.requests).toEqual(["http://127.0.0.1:9/logo.png"]);
    expect(page.charts).toEqual([{ id: "chart-empty", marks: 0, width: 300, height: 200 }]);
    expect(page.ink).toBeLessThan(0.01);
  });
});
