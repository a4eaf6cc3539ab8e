/**
 * The Kubernetes objects that run a sweep on a cluster, as plain data (cli.ts prints them as
 * YAML):
 *
 * - a ConfigMap holding the sweep file's text, mounted at /sweep;
 * - an Indexed Job whose pod of index I runs `--shard I/N` of the sweep into
 *   /results/<sweep>/shard-I on a PersistentVolumeClaim mounted at /results. A failed index is
 *   retried alone (backoffLimitPerIndex), and only once its failed pod has ended
 *   (podReplacementPolicy: Failed), so the replacement may take over the store's lock
 *   (--steal-lock) and resume where the failed pod stopped. Exit codes 1 (runs failed; they are
 *   recorded and deterministic, so retrying cannot help) and 2 (input error) fail the index at
 *   once; a disruption (eviction, preemption, node drain) is not counted as a failure;
 * - a merge Job that waits for every shard (`npm run merge -- --wait`) and writes the sweep's
 *   runs.csv, windows.csv, points.csv and manifest.json into /results/<sweep>/, so it can be
 *   applied together with the Indexed Job;
 * - unless a claim is given, the PersistentVolumeClaim, ReadWriteMany since the pods may run on
 *   different nodes.
 *
 * The types come from kubernetes-models (type-only imports, erased at run time), so `npm run
 * typecheck` rejects a misspelt field; test/experiments/k8s.test.ts validates the objects
 * against the package's OpenAPI schemas.
 */
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { IPodSecurityContext } from "kubernetes-models/v1/PodSecurityContext";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import { baseName } from "./names.ts";

export type Manifest = IConfigMap | IJob | IPersistentVolumeClaim;

/** Where the image keeps leaklab (the Dockerfile's WORKDIR) and where the pods mount things. */
export const APP_DIR = "/app";
export const SWEEP_DIR = "/sweep";
export const SWEEP_KEY = "sweep.json";
export const RESULTS_DIR = "/results";
/** The uid and gid of the `node` user of the node:20 images, which the Dockerfile runs as. */
const NODE_UID = 1000;

export interface ClusterPlan {
  sweepName: string;
  /** The sweep file's text, exactly as read. */
  sweepText: string;
  shards: number;
  parallelism: number;
  image: string;
  namespace?: string;
  /** The claim results go to; `create` when the manifests include it. */
  claim: { name: string; create?: { storage: string; storageClass?: string } };
  /** Worker threads per shard pod, and the CPUs it requests. */
  workers: number;
  /** Memory each shard pod requests. */
  memory: string;
  /** Retries of a failed index (backoffLimitPerIndex), and of the merge. */
  retries: number;
  /** How long the merge waits for the shards, in seconds. */
  mergeWait: number;
}

export interface ObjectNames {
  configMap: string;
  shards: string;
  merge: string;
  claim: string;
}

export function objectNames(sweepName: string, claim?: string): ObjectNames {
  const base = baseName(sweepName);
  return { configMap: `${base}-sweep`, shards: `${base}-shards`, merge: `${base}-merge`, claim: claim ?? `${base}-results` };
}

/** The folder of the sweep's results on the claim, and of each shard's store. */
export const resultsDir = (sweepName: string): string => `${RESULTS_DIR}/${sweepName}`;
export const shardDir = (sweepName: string, index: number | string): string => `${resultsDir(sweepName)}/shard-${index}`;

/**
 * The shard pods' command. The shell only expands JOB_COMPLETION_INDEX and then replaces
 * itself with node (exec), so node is the container's main process and the kubelet's SIGTERM
 * reaches leaklab, which finishes the runs in progress, stores them and exits 143.
 */
export function shardCommand(p: Pick<ClusterPlan, "sweepName" | "shards" | "workers">): string[] {
  const script = `exec node --import tsx experiments/cli.ts ${SWEEP_DIR}/${SWEEP_KEY} --shard "$JOB_COMPLETION_INDEX/${p.shards}" `
    + `--out "${shardDir(p.sweepName, "$JOB_COMPLETION_INDEX")}" --workers ${p.workers} --steal-lock`;
  return ["sh", "-c", script];
}

/** The merge pod's command: node itself, no shell. */
export function mergeCommand(p: Pick<ClusterPlan, "sweepName" | "shards" | "mergeWait">): string[] {
  const shards = Array.from({ length: p.shards }, (_, i) => shardDir(p.sweepName, i));
  return ["node", "--import", "tsx", "experiments/merge.ts", resultsDir(p.sweepName), ...shards, "--wait", String(p.mergeWait)];
}

export function manifests(p: ClusterPlan): Manifest[] {
  const names = objectNames(p.sweepName, p.claim.name);
  const instance = baseName(p.sweepName);
  const labels = (component: string) => ({
    "app.kubernetes.io/name": "leaklab", "app.kubernetes.io/instance": instance, "app.kubernetes.io/component": component,
  });
  const meta = (name: string, component: string) => ({ name, ...(p.namespace === undefined ? {} : { namespace: p.namespace }), labels: labels(component) });
  const podSecurity: IPodSecurityContext = { runAsNonRoot: true, runAsUser: NODE_UID, runAsGroup: NODE_UID, fsGroup: NODE_UID };
  const containerSecurity: ISecurityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
  const resultsVolume = { name: "results", persistentVolumeClaim: { claimName: names.claim } };
  const resultsMount = { name: "results", mountPath: RESULTS_DIR };
  // Disruptions (eviction, preemption, a drained node) are not the shard's fault: retry without counting.
  const ignoreDisruptions = { action: "Ignore" as const, onPodConditions: [{ type: "DisruptionTarget", status: "True" }] };

  const out: Manifest[] = [];
  if (p.claim.create !== undefined) {
    out.push({
      apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: meta(names.claim, "results"),
      spec: {
        accessModes: ["ReadWriteMany"],
        resources: { requests: { storage: p.claim.create.storage } },
        ...(p.claim.create.storageClass === undefined ? {} : { storageClassName: p.claim.create.storageClass }),
      },
    });
  }
  out.push({ apiVersion: "v1", kind: "ConfigMap", metadata: meta(names.configMap, "sweep"), data: { [SWEEP_KEY]: p.sweepText } });
  out.push({
    apiVersion: "batch/v1", kind: "Job", metadata: meta(names.shards, "shards"),
    spec: {
      completionMode: "Indexed",
      completions: p.shards,
      parallelism: Math.min(p.parallelism, p.shards),
      backoffLimitPerIndex: p.retries,
      // Every shard runs to its end whatever the others do: the merge needs them all.
      maxFailedIndexes: p.shards,
      podReplacementPolicy: "Failed",
      podFailurePolicy: {
        rules: [
          { action: "FailIndex", onExitCodes: { containerName: "leaklab", operator: "In", values: [1, 2] } },
          ignoreDisruptions,
        ],
      },
      template: {
        metadata: { labels: labels("shards") },
        spec: {
          restartPolicy: "Never",
          securityContext: podSecurity,
          containers: [{
            name: "leaklab", image: p.image, workingDir: APP_DIR, command: shardCommand(p),
            resources: { requests: { cpu: String(p.workers), memory: p.memory } },
            securityContext: containerSecurity,
            volumeMounts: [{ name: "sweep", mountPath: SWEEP_DIR, readOnly: true }, resultsMount],
          }],
          volumes: [{ name: "sweep", configMap: { name: names.configMap } }, resultsVolume],
        },
      },
    },
  });
  out.push({
    apiVersion: "batch/v1", kind: "Job", metadata: meta(names.merge, "merge"),
    spec: {
      backoffLimit: p.retries,
      podReplacementPolicy: "Failed",
      podFailurePolicy: {
        rules: [
          // 1: runs failed (the outputs and failures.csv are written); 2: the shards are not complete or do not fit.
          { action: "FailJob", onExitCodes: { containerName: "merge", operator: "In", values: [1, 2] } },
          ignoreDisruptions,
        ],
      },
      template: {
        metadata: { labels: labels("merge") },
        spec: {
          restartPolicy: "Never",
          securityContext: podSecurity,
          containers: [{
            name: "merge", image: p.image, workingDir: APP_DIR, command: mergeCommand(p),
            // It mostly waits; assembling reads one record at a time.
            resources: { requests: { cpu: "250m", memory: "256Mi" } },
            securityContext: containerSecurity,
            volumeMounts: [resultsMount],
          }],
          volumes: [resultsVolume],
        },
      },
    },
  });
  return out;
}
