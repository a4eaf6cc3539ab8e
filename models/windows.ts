/**
 * A leak window that carried traffic, and its row in windows.csv. The row is rendered here,
 * next to the type, so that whoever writes windows (a worker streaming them to disk, a test
 * collecting them) produces the same bytes without knowing how addresses or nodes are named.
 */
import { formatIpv4 } from "./addressing/ipv4.ts";
import { nodeName } from "./cluster/nodes.ts";
import type { Verdict } from "./datapath/verdict.ts";

export type WindowCause = "propagation" | "operator_outage" | "new_node" | "stale_after_reuse" | "node_ip_reuse";

export interface LeakWindow {
  endpoint: number;
  endpointIp: number;
  endpointNode: number;
  observerNode: number;
  opened: number;
  closed: number;
  /** Seconds of the window in which pod-to-pod plaintext left (its leak window). */
  leaked: number;
  packets: number;
  bytes: number;
  /** The verdict most of the window's packets got. */
  outcome: Verdict;
  cause: WindowCause;
  censored: boolean;
}

/** Receives each window with traffic as the traffic judge closes it, in a fixed order. */
export type WindowSink = (w: LeakWindow) => void;

export const WINDOW_COLUMNS = [
  "point", "replication", "endpoint", "endpoint_ip", "endpoint_node", "observer_node", "opened_s", "closed_s", "duration_s",
  "leaked_s", "packets", "bytes", "outcome", "cause", "censored",
] as const;

/** A window's outcome: `dropped` for strict mode's intended drop, else the verdict's name. */
function outcomeName(v: Verdict): string {
  return v === "strict_dropped" ? "dropped" : v;
}

/** Numbers as CSV cells: JavaScript's shortest round-trip form; non-finite values stay empty. */
function num(x: number): string {
  return Number.isFinite(x) ? String(x) : "";
}

/**
 * One windows.csv line, newline included. No cell can hold a comma, quote or newline (numbers,
 * dotted quads, node names, identifiers), so none is quoted: the bytes equal csv-stringify's
 * rendering of the same cells, which a test checks.
 */
export function windowRow(point: number, replication: number, w: LeakWindow): string {
  return `${point},${replication},${w.endpoint},${formatIpv4(w.endpointIp)},${nodeName(w.endpointNode)},${nodeName(w.observerNode)},`
    + `${num(w.opened)},${num(w.closed)},${num(w.closed - w.opened)},${num(w.leaked)},${num(w.packets)},${num(w.bytes)},`
    + `${outcomeName(w.outcome)},${w.cause},${w.censored}\n`;
}

/** Room one row can take at most (numbers print in at most 24 characters). */
export const MAX_ROW_BYTES = 512;

const COMMA = 44;
const NEWLINE = 10;

/**
 * Writes windowRow's bytes into `buf` at `at` (which must have MAX_ROW_BYTES free) and returns
 * the position after them. The streaming writer uses this: no string per row is kept, and the
 * integers (most cells) are written digit by digit, which matters at a million rows per run.
 */
export function writeWindowRow(buf: Buffer, at: number, point: number, replication: number, w: LeakWindow): number {
  let p = at;
  p = number(buf, p, point);
  buf[p++] = COMMA;
  p = number(buf, p, replication);
  buf[p++] = COMMA;
  p = number(buf, p, w.endpoint);
  buf[p++] = COMMA;
  const ip = w.endpointIp;
  p = number(buf, p, ip >>> 24);
  buf[p++] = DOT;
  p = number(buf, p, (ip >>> 16) & 255);
  buf[p++] = DOT;
  p = number(buf, p, (ip >>> 8) & 255);
  buf[p++] = DOT;
  p = number(buf, p, ip & 255);
  buf[p++] = COMMA;
  p = node(buf, p, w.endpointNode);
  buf[p++] = COMMA;
  p = node(buf, p, w.observerNode);
  buf[p++] = COMMA;
  p = opened(buf, p, w.opened);
  buf[p++] = COMMA;
  p = number(buf, p, w.closed);
  buf[p++] = COMMA;
  p = number(buf, p, w.closed - w.opened);
  buf[p++] = COMMA;
  p = number(buf, p, w.leaked);
  buf[p++] = COMMA;
  p = number(buf, p, w.packets);
  buf[p++] = COMMA;
  p = number(buf, p, w.bytes);
  buf[p++] = COMMA;
  p = word(buf, p, outcomeName(w.outcome));
  buf[p++] = COMMA;
  p = word(buf, p, w.cause);
  buf[p++] = COMMA;
  p = word(buf, p, w.censored ? "true" : "false");
  buf[p++] = NEWLINE;
  return p;
}

const DOT = 46;
const ZERO = 48;
/** Below this an integer prints as plain digits in String(); above, it may not. */
const PLAIN_DIGITS = 1e15;

/** Writes what num(x) returns: digits by hand for non-negative integers, String() for the rest. */
function number(buf: Buffer, at: number, x: number): number {
  if (!(Number.isInteger(x) && x >= 0 && x < PLAIN_DIGITS)) return ascii(buf, at, num(x));
  let digits = 1;
  for (let t = x; t >= 10; t = Math.floor(t / 10)) digits++;
  let p = at + digits;
  for (let t = x; p > at; t = Math.floor(t / 10)) buf[--p] = ZERO + (t % 10);
  return at + digits;
}

/**
 * A pod's windows come one after another with the same opening time (its ready time) for most
 * senders, so the last opening time's text is kept: one float to text fewer per row.
 */
let lastOpened = NaN;
let lastOpenedText = "";

function opened(buf: Buffer, at: number, x: number): number {
  if (!Object.is(x, lastOpened)) {
    lastOpened = x;
    lastOpenedText = num(x);
  }
  return ascii(buf, at, lastOpenedText);
}

/** Short fixed words (verdicts, causes, booleans, "node-"), copied byte by byte. */
const WORDS = new Map<string, Uint8Array>();

function word(buf: Buffer, at: number, s: string): number {
  let bytes = WORDS.get(s);
  if (bytes === undefined) WORDS.set(s, (bytes = Buffer.from(s, "latin1")));
  for (let i = 0; i < bytes.length; i++) buf[at + i] = bytes[i];
  return at + bytes.length;
}

/** nodeName(i): "node-" and the index, zero-padded to three digits. */
function node(buf: Buffer, at: number, index: number): number {
  let p = word(buf, at, "node-");
  if (index < 100) buf[p++] = ZERO;
  if (index < 10) buf[p++] = ZERO;
  return number(buf, p, index);
}

function ascii(buf: Buffer, at: number, s: string): number {
  return at + buf.write(s, at, "latin1");
}

/** The header line of windows.csv. */
export const WINDOW_HEADER = `${WINDOW_COLUMNS.join(",")}\n`;
