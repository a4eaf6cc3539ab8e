// `npm run cost -- --calibrate FILE`: the fixture was measured on the development machine
// (test/fixtures/iperf3/measure-netns.sh: two network namespaces, plain, VXLAN, and WireGuard
// through wireguard-go because that kernel has no CONFIG_WIREGUARD).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCostCli } from "../../../experiments/cost-cli.ts";
import { calibrate } from "../../../models/cost/fitPlatform.ts";
import { hardwareProfile, validateHardwareProfile } from "../../../models/cost/index.ts";
import { readIperf3 } from "../../../models/cost/iperf3.ts";

const FIXTURE = "test/fixtures/iperf3/netns-plain-vxlan-wireguard-go.json";
const text = readFileSync(new URL(`../../../${FIXTURE}`, import.meta.url), "utf8");
const defaults = { encryption: "wireguard" as const, routingMode: "native" as const, tunnelProtocol: "vxlan" as const };
const files = (map: Record<string, string>) => (p: string) => {
  if (map[p] === undefined) throw new Error(`ENOENT: ${p}`);
  return map[p]!;
};

describe("reading iperf3 --json", () => {
  it("reads the fixture's three titled runs and their path MTUs", () => {
    const runs = readIperf3(text, FIXTURE, defaults);
    expect(runs.map((r) => [r.encryption, r.routingMode, r.tunnelProtocol])).toEqual([
      ["none", "native", "vxlan"], ["none", "tunnel", "vxlan"], ["wireguard", "native", "vxlan"],
    ]);
    expect(runs.map((r) => r.mss)).toEqual([1448, 1398, 1368]);
    expect(runs.map((r) => r.pathMtu)).toEqual([1500, 1450, 1420]);
    for (const r of runs) expect(r.gbps).toBeGreaterThan(0);
  });

  const one = JSON.stringify(JSON.parse(text)[0]);
  const bad: [string, RegExp][] = [
    ["{", /^f\.json is not JSON: /],
    ["[]", /^f\.json is an empty list/],
    [JSON.stringify({ error: "unable to connect to server" }), /^f\.json\.error: iperf3 reported "unable to connect to server"/],
    [one.replace('"protocol":"TCP"', '"protocol":"UDP"'), /^f\.json\.start\.test_start\.protocol must be "TCP"/],
    [one.replace(/"sum_received":\{[^}]*"bits_per_second":[0-9.e+]+/, '"sum_received":{"bits_per_second":-1'), /^f\.json\.end\.sum_received\.bits_per_second must be a positive number, got -1/],
    [one.replace(/"tcp_mss_default":\d+/, '"tcp_mss_default":"big"'), /^f\.json\.start\.tcp_mss_default must be a positive number, got "big"/],
    [one.replace('"title":"none native"', '"title":"tls"'), /^f\.json\.title: unknown word "tls"/],
    [`[${one},${one.replace(/"title":"[^"]*",/, "")}]`, /^f\.json\[1\]\.title is missing/],
  ];
  for (const [input, message] of bad) {
    it(`names the field: ${message.source.slice(1, 60)}`, () => {
      expect(() => readIperf3(input, "f.json", defaults)).toThrow(message);
    });
  }
});

describe("fitting platform factors", () => {
  const runs = readIperf3(text, FIXTURE, defaults);
  const base = hardwareProfile("generic-x86-25g");
  const c = calibrate(runs, base, { ciliumVersion: "1.15", underlayMtu: 1500 });

  it("fits one factor per run, each on the stage it scales, reproducing each run", () => {
    expect(c.factors.map((f) => [f.factor, f.run])).toEqual([
      ["stack", `${FIXTURE}[0]`], ["tunnel", `${FIXTURE}[1]`], ["serial", `${FIXTURE}[2]`],
    ]);
    for (const k of c.checks) {
      expect(k.predictedGbps / k.run.gbps).toBeCloseTo(1, 3);
      expect(k.predictedMss).toBe(k.run.mss);
    }
  });

  it("changes only platform costs, never the hardware facts", () => {
    const same = ["cores", "threadsPerCore", "clockGhz", "nicGbps", "cryptoCyclesPerByte", "flowCapGbps"] as const;
    for (const k of same) expect(c.profile[k]).toEqual(base[k]);
    expect(c.profile.pathCycles.segment / base.pathCycles.segment).toBeCloseTo(c.factors[0]!.value, 6);
    expect(c.profile.serial.wireguardPacket / base.serial.wireguardPacket).toBeCloseTo(c.factors[2]!.value, 6);
  });

  it("says so when the stage a factor scales does not bind", () => {
    const lineBound = calibrate(runs.slice(0, 1), { ...base, nicGbps: 5 }, { ciliumVersion: "1.15", underlayMtu: 1500 });
    expect(lineBound.factors[0]!.value).toBe(1);
    expect(lineBound.factors[0]!.note).toMatch(/not identifiable: line bounds this run/);
    expect(lineBound.factors[2]!.note).toMatch(/no run for it/);
  });
});

describe("npm run cost -- --calibrate", () => {
  it("prints the factors, the prediction per run and a profile a scenario accepts", () => {
    const out = runCostCli(["--calibrate", FIXTURE, "--hardware", "generic-x86-25g"], files({ [FIXTURE]: text }));
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^ {2}serial +\d+\.\d{3} +\[2\] +the peer-serial stage matches/m);
    expect(out.stdout).toMatch(/^ {2}\[1\] +none tunnel vxlan +\d+\.\d\d Gbit\/s/m);
    const json = JSON.parse(out.stdout.slice(out.stdout.indexOf("{")));
    expect(json.base).toBe("generic-x86-25g");
    const profile = validateHardwareProfile(json, "hardware");
    expect(profile.serial.wireguardPacket).toBeGreaterThan(hardwareProfile("generic-x86-25g").serial.wireguardPacket);
  });

  it("a bad file is one line naming the field, exit 2", () => {
    const cases: [string, RegExp][] = [
      ["{}", /^error: b\.json\.start must be an object \(iperf3 --json output\)$/],
      ["nope", /^error: b\.json is not JSON/],
    ];
    for (const [content, message] of cases) {
      const out = runCostCli(["--calibrate", "b.json"], files({ "b.json": content }));
      expect(out.code).toBe(2);
      expect(out.stderr.trimEnd()).toMatch(message);
      expect(out.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
    const missing = runCostCli(["--calibrate", "gone.json"], files({}));
    expect(missing.stderr.trimEnd()).toMatch(/^error: --calibrate: cannot read gone\.json: ENOENT/);
  });
});
