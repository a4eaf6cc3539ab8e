// Worker bootstrap in plain JavaScript: Node 20 cannot load TypeScript by itself, and loader
// flags do not carry over to worker threads reliably, so the worker loads its TypeScript
// entry through tsx's API.
import { tsImport } from "tsx/esm/api";

await tsImport("./worker.ts", import.meta.url);
