/**
 * Node labels as leaklab knows them, and the label selector of Cilium's
 * node-encryption-opt-out-labels (default node-role.kubernetes.io/control-plane, v1.15.0
 * pkg/defaults/defaults.go L247-249). The only node with a label is the one that runs the API
 * server, when it runs in the cluster; workers carry none that matter here.
 */
import { SpecError } from "../../sim/errors.ts";

export const CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";

/** One equality-based requirement of a Kubernetes label selector. */
interface Requirement {
  key: string;
  op: "exists" | "absent" | "=" | "!=";
  value: string;
}

export interface LabelSelector {
  text: string;
  requirements: readonly Requirement[];
}

const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Parses the comma-separated requirements `key`, `!key`, `key=value` (or `==`) and
 * `key!=value`. The empty selector selects no node, as Cilium's documentation says of it
 * ("force node-to-node encryption from and to control-plane nodes by using an empty label
 * selector", encryption-wireguard.rst L287-288). Set-based requirements are not modelled.
 */
export function parseSelector(v: unknown, path: string): LabelSelector {
  if (typeof v !== "string") throw new SpecError(path, `must be a label selector string, got ${JSON.stringify(v)}`);
  const text = v.trim();
  if (text === "") return { text, requirements: [] };
  const requirements = text.split(",").map((part) => requirement(part.trim(), path));
  return { text, requirements };
}

function requirement(part: string, path: string): Requirement {
  const m = /^(!)?([^=!\s]+)\s*(?:(==|=|!=)\s*(\S*))?$/.exec(part);
  if (m === null || !KEY.test(m[2]) || (m[1] !== undefined && m[3] !== undefined)) {
    throw new SpecError(path, `\`${part}\` is not a requirement leaklab models: use key, !key, key=value or key!=value (set-based selectors are not modelled)`);
  }
  if (m[1] !== undefined) return { key: m[2], op: "absent", value: "" };
  if (m[3] === undefined) return { key: m[2], op: "exists", value: "" };
  return { key: m[2], op: m[3] === "!=" ? "!=" : "=", value: m[4] ?? "" };
}

/** Whether the selector selects a node with these labels (an empty selector selects none). */
export function selects(s: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  if (s.requirements.length === 0) return false;
  return s.requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case "exists":
        return has;
      case "absent":
        return !has;
      case "=":
        return has && labels[r.key] === r.value;
      case "!=":
        return !has || labels[r.key] !== r.value;
    }
  });
}
