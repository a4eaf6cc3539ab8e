/**
 * Opens a report in a real headless Chromium and says what a reader would see: console errors,
 * network requests beyond the file itself, each chart's drawn marks, and a screenshot with how
 * much of it is not background. Speaks the DevTools protocol over --remote-debugging-pipe
 * (JSON messages ended by NUL on file descriptors 3 and 4), so it needs no WebSocket client
 * and no driver library whose protocol version must match the installed browser.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Readable, Writable } from "node:stream";

/** Where Debian's, Ubuntu's and Google's packages put the browser; $CHROMIUM first. */
export function findChromium(): string | undefined {
  return [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => p && existsSync(p));
}

export interface PageReport {
  consoleErrors: string[];
  /** URLs the page asked for other than its own file (a self-contained report asks for none). */
  requests: string[];
  /** Per `figure.chart`: its id and how many mark elements its SVG drew with a non-empty shape. */
  charts: { id: string; marks: number; width: number; height: number }[];
  textLength: number;
  png: Buffer;
  /** Share of the screenshot's pixels that are not the background colour, and distinct colours seen. */
  ink: number;
  colours: number;
}

/** Runs in the page: every chart's marks (Vega puts user marks in groups with class role-mark). */
const CHART_MARKS = `[...document.querySelectorAll("figure.chart")].map((f) => {
  const svg = f.querySelector("svg"); const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  const marks = svg ? [...svg.querySelectorAll("g.role-mark > path, g.role-mark > rect, g.role-mark > line, g.role-mark > g > path")]
    .filter((e) => (e.getAttribute("d") || "") !== "" || Number(e.getAttribute("width")) > 0 || e.tagName === "line").length : 0;
  return { id: f.id, marks, width: box.width, height: box.height };
})`;

/** Runs in the page: decodes the screenshot on a canvas and counts pixels unlike the top-left one. */
const INK = (png: string) => `new Promise((done) => { const img = new Image(); img.onload = () => {
  const c = document.createElement("canvas"); c.width = img.width; c.height = img.height; const g = c.getContext("2d"); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data; let ink = 0; const colours = new Set();
  for (let i = 0; i < d.length; i += 4) { if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) ink++; if (i % 64 === 0) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); }
  done({ ink: ink / (d.length / 4), colours: colours.size }); }; img.src = "data:image/png;base64,${png}"; })`;

interface Message { id?: number; method?: string; params?: Record<string, any>; result?: any; error?: { message: string }; sessionId?: string }

class Pipe {
  private next = 1;
  private buffered = "";
  private readonly waiting = new Map<number, { resolve: (r: any) => void; reject: (e: Error) => void }>();
  readonly listeners: ((m: Message) => void)[] = [];

  constructor(private readonly out: Writable, input: Readable) {
    input.setEncoding("utf8").on("data", (chunk: string) => {
      const parts = (this.buffered + chunk).split("\0");
      this.buffered = parts.pop()!;
      for (const part of parts) this.receive(JSON.parse(part) as Message);
    });
  }

  private receive(m: Message): void {
    const w = m.id !== undefined ? this.waiting.get(m.id) : undefined;
    if (w) {
      this.waiting.delete(m.id!);
      if (m.error) w.reject(new Error(`DevTools: ${m.error.message}`));
      else w.resolve(m.result);
    } else for (const l of this.listeners) l(m);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<any> {
    const id = this.next++;
    this.out.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    return new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }
}

export async function inspectPage(file: string, o: { executable: string; width?: number; maxHeight?: number; timeoutMs?: number }): Promise<PageReport> {
  const profile = mkdtempSync(join(tmpdir(), "leaklab-chromium-"));
  const child: ChildProcess = spawn(o.executable, [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--remote-debugging-pipe", `--user-data-dir=${profile}`,
    "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-crash-reporter", "--hide-scrollbars", "--mute-audio", "--force-color-profile=srgb", "about:blank",
    // Its own process group, so that the browser's helper processes can be ended with it.
  ], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"], detached: true });
  const ended = new Promise<void>((r) => child.once("exit", () => r()));
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-2000)));
  const timeout = new Promise<never>((_, reject) => {
    const t = setTimeout(() => reject(new Error(`Chromium did not finish within ${o.timeoutMs ?? 60_000} ms; its last output: ${stderr}`)), o.timeoutMs ?? 60_000);
    child.on("exit", () => clearTimeout(t));
  });
  const exited = new Promise<never>((_, reject) => child.on("exit", (code) => reject(new Error(`Chromium exited (${code}): ${stderr}`))));
  // It also exits when closed or killed below, after the race is decided: that is no error.
  exited.catch(() => undefined);
  try {
    return await Promise.race([drive(new Pipe(child.stdio[3] as Writable, child.stdio[4] as Readable), file, o), timeout, exited]);
  } finally {
    // The profile can be removed only once no helper process writes to it any more: give the
    // browser a few seconds to close (drive asks it to), then end its process group.
    const closed = await Promise.race([ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref())]);
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // ESRCH: the group has ended already.
    }
    if (!closed) await ended;
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

async function drive(pipe: Pipe, file: string, o: { width?: number; maxHeight?: number }): Promise<PageReport> {
  const url = pathToFileURL(file).href;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  let loaded: () => void = () => undefined;
  const load = new Promise<void>((r) => (loaded = r));
  pipe.listeners.push((m) => {
    const p = m.params ?? {};
    if (m.method === "Runtime.consoleAPICalled" && (p.type === "error" || p.type === "assert")) consoleErrors.push(p.args.map((a: any) => a.value ?? a.description).join(" "));
    if (m.method === "Runtime.exceptionThrown") consoleErrors.push(p.exceptionDetails.exception?.description ?? p.exceptionDetails.text);
    if (m.method === "Log.entryAdded" && p.entry.level === "error") consoleErrors.push(`${p.entry.text} ${p.entry.url ?? ""}`.trim());
    if (m.method === "Network.requestWillBeSent" && p.request.url !== url && !p.request.url.startsWith("data:")) requests.push(p.request.url);
    if (m.method === "Page.loadEventFired") loaded();
  });
  const { targetId } = await pipe.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await pipe.send("Target.attachToTarget", { targetId, flatten: true });
  const send = (method: string, params: Record<string, unknown> = {}) => pipe.send(method, params, sessionId);
  for (const domain of ["Runtime", "Log", "Page", "Network"]) await send(`${domain}.enable`);
  const width = o.width ?? 1200;
  await send("Emulation.setDeviceMetricsOverride", { width, height: 900, deviceScaleFactor: 1, mobile: false });
  await send("Page.navigate", { url });
  await load;
  const evaluate = async (expression: string) => (await send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true })).result.value;
  const charts = await evaluate(CHART_MARKS);
  const textLength = await evaluate("document.body.innerText.trim().length");
  const { cssContentSize } = await send("Page.getLayoutMetrics");
  const height = Math.min(Math.ceil(cssContentSize.height), o.maxHeight ?? 20_000);
  const { data } = await send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true, clip: { x: 0, y: 0, width, height, scale: 1 } });
  const { ink, colours } = await evaluate(INK(data));
  await pipe.send("Browser.close").catch(() => undefined);
  return { consoleErrors, requests, charts, textLength, png: Buffer.from(data, "base64"), ink, colours };
}
