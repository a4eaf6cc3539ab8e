import { describe, expect, it } from "vitest";
import { runCostCli } from "../../../experiments/cost-cli.ts";
import { hardwareProfile } from "../../../models/cost/index.ts";

const noFiles = (path: string): string => {
  throw new Error(`ENOENT: ${path}`);
};

describe("npm run cost", () => {
  it("prints an aligned table with units for the example question", () => {
    const out = runCostCli(["--encryption", "wireguard", "--mtu", "9000", "--hardware", "ryzen-3950x-100g", "--routing", "native"], noFiles);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe("");
    expect(out.stdout).toMatch(/^wireguard vs none on ryzen-3950x-100g$/m);
    expect(out.stdout).toMatch(/^pod route MTU +9000 +8920 {2}B$/m);
    expect(out.stdout).toMatch(/^throughput per node pair +\d+\.\d\d +\d+\.\d\d {2}Gbit\/s$/m);
    expect(out.stdout).toMatch(/^ {2}throughput_overhead_pct +\d+\.\d {2}%/m);
    // Columns line up: every table row puts its unit column at the same offset.
    const lines = out.stdout.split("\n");
    const start = lines.findIndex((l) => l.startsWith("quantity"));
    const rows = lines.slice(start, lines.indexOf("", start)).filter((l) => !l.includes("bottleneck"));
    const unitAt = new Set(rows.map((l) => l.lastIndexOf("  ")));
    expect(rows.length).toBeGreaterThan(6);
    expect(unitAt.size).toBe(1);
  });

  it("prints every assumption with the flag that changes it, defaults from the scenario schema", () => {
    const out = runCostCli([], noFiles);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^ {2}routing +tunnel \(vxlan\) +--routing, --tunnel$/m);
    expect(out.stdout).toMatch(/^ {2}Cilium version +1\.15 +--version$/m);
    expect(out.stdout).toMatch(/^ {2}nodes, peers +10 nodes; 9 peer\(s\) per node \(nodes − 1, as a sweep\)/m);
    expect(out.stdout).toMatch(/^ {2}flows +1 TCP flow\(s\) per peer +--flows$/m);
    expect(out.stdout).toMatch(/^ {2}clock +2\.5 GHz \(base clock/m);
    expect(out.stdout).toMatch(/^ {2}NIC +25 Gbit\/s, no per-flow cap +--flow-cap$/m);
    expect(out.stdout).toMatch(/^ {2}node encryption +off/m);
    for (const col of ["cpu_overhead_sender_cores_per_gbps", "cpu_overhead_receiver_cores_per_gbps", "node_encryption_cores"]) {
      expect(out.stdout).toContain(`  ${col} `);
    }
  });

  it("applies the assumption flags", () => {
    const out = runCostCli(
      ["--nodes", "4", "--clock", "3.1", "--clock-basis", "sustained", "--flow-cap", "5", "--node-encryption", "--control-plane-nodes", "0", "--tunnel", "geneve"],
      noFiles,
    );
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/4 nodes; 3 peer\(s\) per node/);
    expect(out.stdout).toMatch(/clock +3\.1 GHz \(sustained clock/);
    expect(out.stdout).toMatch(/5 Gbit\/s per flow/);
    expect(out.stdout).toMatch(/node encryption +on; 0 control-plane node\(s\) opt out/);
    expect(out.stdout).toMatch(/tunnel \(geneve\)/);
    expect(out.stdout).toMatch(/^ {2}node_encryption_cores +0\.0\d*[1-9]/m);
  });

  it("accepts --flag=value, a message mix and every option", () => {
    const out = runCostCli(
      ["--encryption=ipsec", "--routing", "tunnel", "--family", "ipv6", "--version", "1.19.5", "--packet-bytes", "64:3,1400:1", "--peers", "4", "--flows", "2"],
      noFiles,
    );
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^ipsec vs none on generic-x86-25g$/m);
    expect(out.stdout).toMatch(/Cilium version +1\.19\.5/);
    expect(out.stdout).toMatch(/10 nodes; 4 peer\(s\) per node +--nodes/);
  });

  it("reads a JSON profile from a path", () => {
    const json = JSON.stringify({ base: "generic-x86-25g", nicGbps: 10 });
    const out = runCostCli(["--hardware", "profiles/mine.json"], (p) => (p === "profiles/mine.json" ? json : noFiles(p)));
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/generic-x86-25g\+custom/);
  });

  it("--help prints usage listing the built-in profiles", () => {
    const out = runCostCli(["--help"], noFiles);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/--encryption none\|wireguard\|ipsec/);
    expect(out.stdout).toContain("ryzen-3950x-100g");
  });

  const bad: [string[], RegExp][] = [
    [["--encryption", "tls"], /--encryption must be one of none, wireguard, ipsec, got "tls"/],
    [["--routing", "overlay"], /--routing must be one of native, tunnel/],
    [["--family", "ipv5"], /--family must be one of ipv4, ipv6/],
    [["--mtu", "big"], /--mtu must be a whole number from 576 to 65535, got "big"/],
    [["--mtu", "100"], /--mtu must be a whole number from 576 to 65535, got "100"/],
    [["--family", "ipv6", "--mtu", "1000"], /underlayMtu must be at least 1280 for ipv6/],
    [["--peers", "0"], /--peers must be a whole number >= 1, got "0"/],
    [["--nodes", "1"], /--nodes must be a whole number >= 2, got "1"/],
    [["--clock", "fast"], /--clock must be a decimal number >= 0.1, got "fast"/],
    [["--flow-cap", "-5"], /--flow-cap needs a value; to give it "-5", write --flow-cap=-5/],
    [["--flow-cap=-5"], /--flow-cap must be a decimal number >= 0.001, got "-5"/],
    [["--clock-basis", "turbo"], /--clock-basis must be one of base, sustained, got "turbo"/],
    [["--tunnel", "gre"], /--tunnel must be one of vxlan, geneve, got "gre"/],
    [["--control-plane-nodes", "10"], /controlPlaneNodes must be an integer from 0 to nodes − 1 \(9\), got 10/],
    [["--packet-bytes", "64:x"], /--packet-bytes must be N or N:W/],
    [["--hardware", "cray-1"], /--hardware: unknown hardware profile "cray-1"; valid names: .*generic-x86-25g/],
    [["--hardware", "missing.json"], /--hardware: cannot read JSON profile missing\.json/],
    [["--version", "next"], /ciliumVersion must look like/],
    [["--speed", "1"], /unknown option --speed \(valid: --help, --encryption/],
    [["extra"], /too many arguments: "extra"/],
    [["--mtu"], /--mtu needs a value/],
  ];
  for (const [argv, message] of bad) {
    it(`exits 2 with a clear error for ${argv.join(" ")}`, () => {
      const out = runCostCli(argv, noFiles);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe("");
      expect(out.stderr).toMatch(message);
      expect(out.stderr.trimEnd().split("\n")).toHaveLength(1);
    });
  }

  it("reports a bad field inside a JSON profile by its path", () => {
    const json = JSON.stringify({ ...hardwareProfile("generic-x86-25g"), cores: -4 });
    const out = runCostCli(["--hardware", "./p.json"], () => json);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/hardware\.cores must be a positive integer, got -4/);
  });
});
