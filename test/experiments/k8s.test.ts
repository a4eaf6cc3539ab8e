/**
 * npm run k8s: the manifests are valid Kubernetes objects (checked against the OpenAPI schemas
 * kubernetes-models ships), say what the design needs (Indexed, per-index retries, failure
 * policy), and their commands, run as the pods would run them, give the same files as one
 * machine.
 */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { Job, type IJob } from "kubernetes-models/batch/v1";
import { ConfigMap, PersistentVolumeClaim, type IConfigMap, type IPersistentVolumeClaim } from "kubernetes-models/v1";
import { parseCommand, UsageError } from "../../experiments/args.ts";
import { generate, k8sSpec } from "../../experiments/k8s/cli.ts";
import { manifests, type ClusterPlan } from "../../experiments/k8s/manifests.ts";
import { baseName, isDnsLabel } from "../../experiments/k8s/names.ts";

const root = new URL("../..", import.meta.url).pathname;
const IMAGE = "registry.example.com/leaklab:0.1.0";

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function leaklab(script: string, args: string[]): Result {
  const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const k8s = (...args: string[]) => leaklab("experiments/k8s/cli.ts", args);

/** The command's work without a process: its YAML and what it logs, or the error it exits 2 with. */
function k8sHere(...argv: string[]): { yaml: string; log: string } {
  const parsed = parseCommand(k8sSpec, argv);
  const log: string[] = [];
  const yaml = generate(parsed.flags, parsed.positionals[0], (l) => log.push(l));
  return { yaml, log: log.join("\n") };
}

/** Runs a command as a pod's container would (cwd: the image's WORKDIR, here the checkout), without blocking others. */
function runAsPod(command: string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve, reject) => {
    // `node` in the manifests is the node running these tests.
    const PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`;
    const child = spawn(command[0], command.slice(1), { cwd: root, env: { ...process.env, PATH, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

type Doc = IJob | IConfigMap | IPersistentVolumeClaim;

function parseManifests(yaml: string): Doc[] {
  return parseAllDocuments(yaml).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Doc;
  });
}

/** Validates with kubernetes-models' bundled OpenAPI schemas; throws on the first invalid object. */
function validate(doc: Doc): void {
  const key = `${doc.apiVersion}/${doc.kind}`;
  switch (key) {
    case "batch/v1/Job": new Job(doc as IJob).validate(); break;
    case "v1/ConfigMap": new ConfigMap(doc as IConfigMap).validate(); break;
    case "v1/PersistentVolumeClaim": new PersistentVolumeClaim(doc as IPersistentVolumeClaim).validate(); break;
    default: throw new Error(`unexpected object ${key}`);
  }
}

const jobs = (docs: Doc[]) => docs.filter((d): d is IJob => d.kind === "Job");
const shardJob = (docs: Doc[]) => jobs(docs).find((j) => j.spec!.completionMode === "Indexed")!;
const mergeJob = (docs: Doc[]) => jobs(docs).find((j) => j.spec!.completionMode !== "Indexed")!;

/** Six runs of a few seconds each, with leak windows: an operator outage in a 4-node cluster, strict mode off and on. */
const TINY_SWEEP = {
  name: "k8s-e2e", seed: 7, replications: 3,
  base: {
    duration: 60, cluster: { nodes: 4 }, workload: { churn: { rate: 1 } },
    cilium: {
      version: "pr21856", routingMode: "native", ipam: { mode: "cluster-pool" }, enableCiliumEndpointSlice: true,
      encryption: { enabled: true, type: "wireguard", strictMode: { cidr: "10.0.0.0/8" } },
    },
    controlPlane: { operator: { outages: [{ start: 10, end: 30 }] } },
    traffic: { podToPod: { rate: 5, packetBytes: 1400 } },
  },
  grid: { "cilium.encryption.strictMode.enabled": [false, true] },
};

describe("npm run k8s: the manifests", () => {
  const sweepFile = "experiments/operator-outage.json";
  const created = k8s(sweepFile, "--parallelism", "3", "--image", IMAGE, "--namespace", "sims");
  const existing = k8sHere(sweepFile, "--parallelism", "4", "--shards", "5", "--cpu", "2", "--memory", "1Gi", "--image", IMAGE, "--pvc", "shared.results");

  it("are valid batch/v1 Jobs, a v1 ConfigMap and a v1 PersistentVolumeClaim by the Kubernetes OpenAPI schema", () => {
    expect(created.stderr).not.toMatch(/error/i);
    expect(created.code).toBe(0);
    const docs = parseManifests(created.stdout);
    expect(docs.map((d) => d.kind)).toEqual(["PersistentVolumeClaim", "ConfigMap", "Job", "Job"]);
    for (const d of [...docs, ...parseManifests(existing.yaml)]) validate(d);
    // The validator does reject what Kubernetes would.
    const bad = structuredClone(shardJob(docs));
    (bad.spec as unknown as Record<string, unknown>).completionMode = "indexed";
    expect(() => validate(bad)).toThrow(/completionMode/);
  });

  it("hold the sweep file's text, names derived from the sweep, and the namespace", () => {
    const docs = parseManifests(created.stdout);
    const cm = docs.find((d): d is IConfigMap => d.kind === "ConfigMap")!;
    expect(cm.data!["sweep.json"]).toBe(readFileSync(join(root, sweepFile), "utf8"));
    expect(docs.map((d) => d.metadata!.name)).toEqual(["operator-outage-results", "operator-outage-sweep", "operator-outage-shards", "operator-outage-merge"]);
    for (const d of docs) expect(d.metadata!.namespace).toBe("sims");
    const pvc = docs[0] as IPersistentVolumeClaim;
    expect(pvc.spec!.accessModes).toEqual(["ReadWriteMany"]);
    expect(pvc.spec!.resources!.requests!.storage).toBe("1Gi");
  });

  it("run the shards as an Indexed Job that retries a failed index alone, once its pod has ended", () => {
    const job = shardJob(parseManifests(created.stdout)).spec!;
    expect(job).toMatchObject({
      completionMode: "Indexed", completions: 3, parallelism: 3, backoffLimitPerIndex: 3, maxFailedIndexes: 3, podReplacementPolicy: "Failed",
    });
    expect(job.podFailurePolicy!.rules).toEqual([
      { action: "FailIndex", onExitCodes: { containerName: "leaklab", operator: "In", values: [1, 2] } },
      { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
    ]);
    const pod = job.template.spec!;
    expect(pod.restartPolicy).toBe("Never");
    const c = pod.containers[0];
    expect(c.command![2]).toMatch(/^exec node --import tsx experiments\/cli\.ts \/sweep\/sweep\.json --shard "\$JOB_COMPLETION_INDEX\/3" --out "\/results\/operator-outage\/shard-\$JOB_COMPLETION_INDEX" --workers 1 --steal-lock$/);
    expect(c.volumeMounts!.map((m) => m.mountPath).sort()).toEqual(["/results", "/sweep"]);
    expect(pod.volumes!.find((v) => v.name === "results")!.persistentVolumeClaim!.claimName).toBe("operator-outage-results");
    // Requests from the size estimate: one worker of the operator-outage sweep, well under a GiB.
    expect(c.resources!.requests!.cpu).toBe("1");
    expect(c.resources!.requests!.memory).toMatch(/^[1-9][0-9]{2}Mi$/);
  });

  it("use a given claim, shard count, CPUs (as --workers) and memory, and then create no claim", () => {
    const docs = parseManifests(existing.yaml);
    expect(docs.map((d) => d.kind)).toEqual(["ConfigMap", "Job", "Job"]);
    const job = shardJob(docs).spec!;
    expect(job).toMatchObject({ completions: 5, parallelism: 4, maxFailedIndexes: 5 });
    const c = job.template.spec!.containers[0];
    expect(c.command![2]).toContain(`--shard "$JOB_COMPLETION_INDEX/5"`);
    expect(c.command![2]).toContain("--workers 2 ");
    expect(c.resources!.requests).toEqual({ cpu: "2", memory: "1Gi" });
    for (const j of jobs(docs)) expect(j.spec!.template.spec!.volumes!.find((v) => v.name === "results")!.persistentVolumeClaim!.claimName).toBe("shared.results");
    const merge = mergeJob(docs).spec!.template.spec!.containers[0].command!;
    expect(merge.slice(0, 5)).toEqual(["node", "--import", "tsx", "experiments/merge.ts", "/results/operator-outage"]);
    expect(merge.slice(5, 10)).toEqual([0, 1, 2, 3, 4].map((i) => `/results/operator-outage/shard-${i}`));
    expect(merge.slice(10)).toEqual(["--wait", "86400"]);
  });

  it("never have more shards than runs, and are the same bytes every time", () => {
    const r = k8sHere(sweepFile, "--parallelism", "50", "--image", IMAGE, "--memory", "1Gi", "--storage", "5Gi", "--storage-class", "fast");
    const docs = parseManifests(r.yaml);
    expect(shardJob(docs).spec).toMatchObject({ completions: 10, parallelism: 10 });
    expect(r.log).toContain("--parallelism 50 is more than the 10 shards");
    expect((docs[0] as IPersistentVolumeClaim).spec).toMatchObject({ storageClassName: "fast", resources: { requests: { storage: "5Gi" } } });
    expect(k8sHere(sweepFile, "--parallelism", "3", "--image", IMAGE, "--namespace", "sims").yaml).toBe(created.stdout);
  });

  it("derive DNS-1123 names from any sweep name, short enough for every pod's hostname", () => {
    const plan = (sweepName: string): ClusterPlan => ({
      sweepName, sweepText: "{}", shards: 100_000, parallelism: 1, image: IMAGE, claim: { name: "c" }, workers: 1, memory: "1Gi", retries: 3, mergeWait: 0,
    });
    const names = ["Operator_Outage.v2", "a".repeat(200), `x-${"Y.".repeat(60)}`, "9", "operator-outage"];
    const bases = names.map(baseName);
    expect(new Set(bases).size).toBe(names.length);
    expect(baseName("operator-outage")).toBe("operator-outage");
    expect(baseName("Operator_Outage.v2")).toMatch(/^operator-outage-v2-[0-9a-f]{6}$/);
    for (const n of names) {
      for (const o of manifests(plan(n))) {
        expect(isDnsLabel(o.metadata!.name!), o.metadata!.name).toBe(true);
        for (const v of Object.values(o.metadata!.labels!)) expect(isDnsLabel(v), v).toBe(true);
        // An Indexed Job's pods are named <job>-<index>-<suffix>, with hostname <job>-<index>.
        if (o.kind === "Job" && o.spec!.completionMode === "Indexed") expect(isDnsLabel(`${o.metadata!.name}-99999`)).toBe(true);
      }
    }
  });
});

describe("npm run k8s: the pods' commands", () => {
  it("run three shards as the Indexed Job's pods would and merge them into the files one machine writes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklab-k8s-"));
    const sweepFile = join(dir, "k8s-e2e.json");
    writeFileSync(sweepFile, `${JSON.stringify(TINY_SWEEP, null, 2)}\n`);
    const docs = parseManifests(k8sHere(sweepFile, "--parallelism", "3", "--image", IMAGE, "--pvc", "results").yaml);

    // The volumes the pods mount, here folders: the ConfigMap's keys become files.
    const shards = shardJob(docs);
    const pod = shards.spec!.template.spec!;
    const container = pod.containers[0];
    const mounts = new Map(container.volumeMounts!.map((m) => [m.mountPath, join(dir, "volumes", m.name)]));
    const cm = docs.find((d): d is IConfigMap => d.kind === "ConfigMap")!;
    const sweepMount = container.volumeMounts!.find((m) => pod.volumes!.find((v) => v.name === m.name)!.configMap?.name === cm.metadata!.name)!;
    mkdirSync(mounts.get(sweepMount.mountPath)!, { recursive: true });
    for (const [key, text] of Object.entries(cm.data!)) writeFileSync(join(mounts.get(sweepMount.mountPath)!, key), text);
    const remap = (s: string) => [...mounts].reduce((t, [from, to]) => t.replaceAll(`${from}/`, `${to}/`), s);

    const n = shards.spec!.completions!;
    expect(n).toBe(3);
    const command = container.command!.map(remap);
    // The pods run at once; so does the single machine the merged files are compared with.
    const single = join(dir, "single");
    const [one, ...pods] = await Promise.all([
      runAsPod([process.execPath, "--import", "tsx", "experiments/cli.ts", sweepFile, "--out", single], {}),
      ...Array.from({ length: n }, (_, i) => runAsPod(command, { JOB_COMPLETION_INDEX: String(i) })),
    ]);
    expect(one.code).toBe(0);
    for (const p of pods) {
      expect(p.stderr).not.toMatch(/error/i);
      expect(p.code).toBe(0);
    }
    expect(pods[1].stderr).toMatch(/shard 1\/3 of k8s-e2e: 2 runs stored/);

    const merge = mergeJob(docs).spec!.template.spec!.containers[0].command!.map(remap);
    expect(merge[0]).toBe("node");
    const merged = await runAsPod(merge, {});
    expect(merged.stderr).not.toMatch(/error/i);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain("k8s-e2e: 6 runs");

    const out = join(mounts.get("/results")!, "k8s-e2e");
    for (const f of ["runs.csv", "windows.csv", "points.csv"]) {
      expect(readFileSync(join(out, f), "utf8"), f).toBe(readFileSync(join(single, f), "utf8"));
    }
    expect(readFileSync(join(single, "windows.csv"), "utf8").split("\n").length).toBeGreaterThan(100);
  });
});

describe("npm run k8s: mistakes", () => {
  const sweep = "experiments/operator-outage.json";
  const cases: [string[], RegExp][] = [
    [["--parallelism", "3"], /--image is required/],
    [["--image", IMAGE], /--parallelism is required/],
    [["--parallelism", "0", "--image", IMAGE], /--parallelism must be a whole number from 1 to 100000, got "0"/],
    [["--paralelism", "3", "--image", IMAGE], /unknown option --paralelism; did you mean --parallelism\?/],
    [["--parallelism", "3", "--image", "Registry/Leaklab:1"], /--image must be a container image reference .*got "Registry\/Leaklab:1"/],
    [["--parallelism", "3", "--image", "leaklab: 1"], /--image must be a container image reference/],
    [["--parallelism", "3", "--image", IMAGE, "--namespace", "Sims"], /--namespace must be a DNS-1123 label .*got "Sims"/],
    [["--parallelism", "3", "--image", IMAGE, "--namespace", "a".repeat(64)], /--namespace must be a DNS-1123 label/],
    [["--parallelism", "3", "--image", IMAGE, "--pvc", "my_claim"], /--pvc must be a DNS-1123 subdomain .*got "my_claim"/],
    [["--parallelism", "3", "--image", IMAGE, "--shards", "11"], /--shards 11 is more than the 10 runs of operator-outage/],
    [["--parallelism", "3", "--image", IMAGE, "--memory", "lots"], /--memory must be an amount of bytes/],
    [["--parallelism", "3", "--image", IMAGE, "--pvc", "c", "--storage", "1Gi"], /--storage sizes the claim these manifests create; with --pvc c they create none/],
  ];

  it("are usage errors naming the flag", () => {
    for (const [args, message] of cases) {
      let error: unknown;
      try {
        k8sHere(sweep, ...args);
      } catch (e) {
        error = e;
      }
      expect(error, args.join(" ")).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("exit 2 with one line on stderr and print no manifest", async () => {
    const some = [cases[0], cases[4], cases[6], cases[8]];
    const results = await Promise.all(some.map(([args]) => runAsPod([process.execPath, "--import", "tsx", "experiments/k8s/cli.ts", sweep, ...args], {})));
    for (const [k, [args, message]] of some.entries()) {
      const r = results[k];
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stdout).toBe("");
    }
  });

  it("reject a bad sweep before printing anything, and answer --help", () => {
    const r = k8s("missing.json", "--parallelism", "3", "--image", IMAGE);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing.json: cannot read the sweep file (ENOENT)");
    expect(r.stdout).toBe("");
    const help = k8s("--help");
    expect(help.code).toBe(0);
    for (const f of ["--parallelism P", "--image IMAGE", "--namespace NS", "--pvc CLAIM", "--shards N"]) expect(help.stdout).toContain(f);
  });

  it("warn about an image without a fixed tag", () => {
    for (const image of ["leaklab", "localhost:5000/leaklab", "leaklab:latest"]) {
      expect(k8sHere(sweep, "--parallelism", "3", "--image", image, "--memory", "1Gi", "--storage", "1Gi").log).toContain(`warning: --image ${image} has no fixed tag or digest`);
    }
    for (const image of ["localhost:5000/leaklab:1", `leaklab@sha256:${"a".repeat(64)}`]) {
      expect(k8sHere(sweep, "--parallelism", "3", "--image", image, "--memory", "1Gi", "--storage", "1Gi").log).not.toContain("warning");
    }
  });
});
