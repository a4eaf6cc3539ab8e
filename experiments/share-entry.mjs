// Share-thread bootstrap (see worker-entry.mjs for why it goes through tsx's API).
import { tsImport } from "tsx/esm/api";

await tsImport("./shareWorker.ts", import.meta.url);
