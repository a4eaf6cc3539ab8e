/**
 * npm run k8s -- SWEEP.json --parallelism P --image IMAGE [flags]
 *
 * Validates the sweep and prints, as a YAML stream for `kubectl apply -f -`, the objects that
 * run it on a Kubernetes cluster (manifests.ts): a ConfigMap with the sweep, an Indexed Job of
 * N shards, a merge Job, and the results' PersistentVolumeClaim unless --pvc names one. Only
 * the manifests go to stdout; estimates and warnings go to stderr.
 */
import { Document } from "yaml";
import { integer, value, UsageError, type CommandSpec, type Flag, type ParsedCommand } from "../args.ts";
import { InputError, isMain, runCommand } from "../command.ts";
import { processMemoryBytes } from "../memory.ts";
import { pointCosts, warnOnce } from "../session.ts";
import { expandSweep, runAt, type Sweep } from "../sweep.ts";
import { readSweepText } from "../sweepFile.ts";
import { SpecError } from "../../sim/errors.ts";
import { measureSize } from "../../models/size.ts";
import { manifests, objectNames, resultsDir, type ClusterPlan, type Manifest } from "./manifests.ts";
import { byteQuantity, dnsLabel, dnsSubdomain, imageRef, roundedQuantity } from "./names.ts";

export const k8sSpec = {
  usage: "npm run k8s -- SWEEP.json --parallelism P --image IMAGE [flags]",
  summary: "Print the Kubernetes manifests that run a sweep as an Indexed Job of shards and merge them: YAML for\n"
    + "`npm run -s k8s -- ... | kubectl apply -f -` (-s keeps npm's banner off stdout).",
  positionals: { names: "the sweep file (SWEEP.json)", min: 1, max: 1 },
  flags: {
    parallelism: value("P", "shard pods running at once (required)", integer(1, 100_000)),
    image: value("IMAGE", "the leaklab image the pods run, built from the Dockerfile (required; pin a tag or digest)", imageRef),
    namespace: value("NS", "namespace of every object (default: kubectl's current one)", dnsLabel),
    pvc: value("CLAIM", "an existing ReadWriteMany PersistentVolumeClaim for the results (default: the manifests create <sweep>-results)", dnsSubdomain),
    shards: value("N", "shards, i.e. Job completions (default: P; at most the sweep's runs)", integer(1, 100_000)),
    cpu: value("N", "CPUs each shard pod requests; it runs that many workers (default 1)", integer(1, 256)),
    memory: value("BYTES", "memory each shard pod requests (default: estimated from the sweep's largest point)", byteQuantity),
    storage: value("BYTES", "size of the claim created (default: estimated from the sweep, at least 1Gi)", byteQuantity),
    "storage-class": value("NAME", "storageClassName of the claim created (default: the cluster's default class)", dnsSubdomain),
    retries: value("N", "retries of a failed shard (backoffLimitPerIndex) and of the merge (default 3)", integer(0, 1000)),
    "merge-wait": value("SECONDS", "how long the merge Job waits for the shards (default 86400, a day)", integer(0)),
  },
} satisfies CommandSpec<Record<string, Flag>>;

/** Kubernetes keeps an object at most about 1.5 MiB in etcd; a ConfigMap's data may hold 1 MiB. */
const MAX_OBJECT_BYTES = 1 << 20;
/** A run's record, session files and its share of runs.csv and the manifest: generously. */
const STORE_BYTES_PER_RUN = 16 << 10;
const MIN_STORAGE_BYTES = 2 ** 30;
/** Requests leave this much room over the estimate. */
const HEADROOM = 1.25;

export interface Estimate {
  memory?: string;
  storage?: string;
  /** The point measured, for the message. */
  point?: number;
}

/**
 * Sizes from the sweep's costliest point (by expected pairs), measured once as --dry-run does
 * (its control plane in full, traffic from a sample of senders): memory per shard pod, and an
 * upper bound of the results (every run as large as that one; windows kept twice, in the store
 * and in windows.csv).
 */
export function estimate(sweep: Sweep, workers: number, need: { memory: boolean; storage: boolean }): Estimate {
  if (!need.memory && !need.storage) return {};
  const costs = pointCosts(sweep);
  const point = costs.reduce((best, c, i) => (c > costs[best] ? i : best), 0);
  const run = runAt(sweep, point * sweep.replications);
  const m = measureSize(sweep.points[point].scenario, run.seed, run.replication, point);
  const memory = processMemoryBytes(m, workers) * HEADROOM;
  const storage = Math.max(MIN_STORAGE_BYTES, sweep.runCount * ((sweep.windows ? 2 * m.windowBytes : 0) + STORE_BYTES_PER_RUN) * HEADROOM);
  return { point, memory: need.memory ? roundedQuantity(memory) : undefined, storage: need.storage ? roundedQuantity(storage) : undefined };
}

/** The manifests as one YAML stream, a comment before the first. */
export function toYaml(objects: Manifest[], comment: string): string {
  return objects.map((o, i) => {
    // YAML 1.1 quoting: Kubernetes' parser reads `on`, `yes` or `1:20` unquoted as booleans and numbers.
    const doc = new Document(o, { version: "1.1" });
    if (i === 0) doc.commentBefore = comment;
    return doc.toString({ lineWidth: 0 });
  }).join("---\n");
}

function required<T>(v: T | undefined, flag: string, what: string): T {
  if (v === undefined) throw new UsageError(`${flag} is required: ${what}`);
  return v;
}

export type K8sFlags = ParsedCommand<typeof k8sSpec.flags>["flags"];

/** The manifests for a command line, as YAML; throws the errors runCommand reports (exit 2). */
export function generate(flags: K8sFlags, sweepFile: string, log: (line: string) => void): string {
  const parallelism = required(flags.parallelism, "--parallelism", "how many shard pods run at once");
  const image = required(flags.image, "--image", "the leaklab image built from the Dockerfile, e.g. registry.example.com/leaklab:0.1.0");
  if (flags.pvc !== undefined) {
    for (const f of ["storage", "storage-class"] as const) {
      if (flags[f] !== undefined) throw new UsageError(`--${f} sizes the claim these manifests create; with --pvc ${flags.pvc} they create none`);
    }
  }
  const text = readSweepText(sweepFile);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SpecError(sweepFile, `not valid JSON: ${(e as Error).message}`);
  }
  const sweep = expandSweep(json);
  if (Buffer.byteLength(text) > MAX_OBJECT_BYTES - 4096) {
    throw new InputError(`${sweepFile} is ${Buffer.byteLength(text)} bytes; a ConfigMap holds at most 1 MiB, so this sweep cannot be mounted from one`);
  }
  if (flags.shards !== undefined && flags.shards > sweep.runCount) {
    throw new UsageError(`--shards ${flags.shards} is more than the ${sweep.runCount} runs of ${sweep.name}; a shard needs at least one run`);
  }
  const shards = flags.shards ?? Math.min(parallelism, sweep.runCount);
  const workers = flags.cpu ?? 1;
  const est = estimate(sweep, workers, { memory: flags.memory === undefined, storage: flags.pvc === undefined && flags.storage === undefined });
  const names = objectNames(sweep.name, flags.pvc);
  const plan: ClusterPlan = {
    sweepName: sweep.name, sweepText: text, shards, parallelism, image: image.ref, namespace: flags.namespace,
    claim: { name: names.claim, create: flags.pvc !== undefined ? undefined : { storage: (flags.storage ?? est.storage)!, storageClass: flags["storage-class"] } },
    workers, memory: (flags.memory ?? est.memory)!, retries: flags.retries ?? 3, mergeWait: flags["merge-wait"] ?? 86_400,
  };
  const objects = manifests(plan);
  for (const o of objects) {
    const bytes = Buffer.byteLength(JSON.stringify(o));
    if (bytes > MAX_OBJECT_BYTES) {
      throw new InputError(`the ${o.kind} ${o.metadata?.name} would be ${bytes} bytes, over the 1 MiB Kubernetes stores per object${o.kind === "Job" ? "; use fewer --shards (the merge Job lists every shard's folder)" : ""}`);
    }
  }
  warnOnce(sweep, log);
  if (image.floating) log(`warning: --image ${image.ref} has no fixed tag or digest; pods may pull different builds, and merge refuses shards computed by different code`);
  if (parallelism > shards) log(`note: --parallelism ${parallelism} is more than the ${shards} shards; at most ${shards} pods run at once`);
  if (est.point !== undefined) log(`estimated from point ${est.point}, the largest:${est.memory ? ` ${est.memory} per shard pod (${workers} worker${workers > 1 ? "s" : ""})` : ""}${est.storage ? `, ${est.storage} of results` : ""}`);
  const comment = [
    ` leaklab sweep ${sweep.name}: ${sweep.runCount} runs in ${shards} shards, ${Math.min(parallelism, shards)} pods at a time.`,
    ` Apply with kubectl apply -f -; the merged results appear in ${resultsDir(sweep.name)}/ on the claim ${names.claim}`,
    ` once the Job ${names.merge} has succeeded.`,
  ].join("\n");
  return toYaml(objects, comment);
}

if (isMain(import.meta.url)) {
  void runCommand(k8sSpec, ({ flags, positionals }) => {
    process.stdout.write(generate(flags, positionals[0], (l) => process.stderr.write(`${l}\n`)));
    return 0;
  });
}
