import { describe, expect, it } from "vitest";
import { SpecError } from "../../../sim/errors.ts";
import {
  CILIUM_VERSIONS, egressStrictCompiled, ingressStrictActive, VERSION_TRAITS, type DatapathConfig,
} from "../../../models/datapath/config.ts";
import { cidr, config, ip, OVERLAP, SEPARATE, validate } from "./fixtures.ts";

const separateIps = [SEPARATE.A.ip, SEPARATE.B.ip];
const overlapIps = [OVERLAP.A.ip, OVERLAP.B.ip];

/** The SpecError validateDatapath throws, so tests can check its path and reason. */
function refusal(cfg: DatapathConfig, nodeIps: number[], paths = {}): SpecError {
  try {
    validate(cfg, nodeIps, paths);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error("expected Cilium to refuse this configuration");
}

describe("validateDatapath: what Cilium refuses", () => {
  it("a node IP inside the strict CIDR without allowRemoteNodeIdentities (WriteNodeConfig)", () => {
    const e = refusal(config(OVERLAP), overlapIps);
    expect(e.path).toBe("cilium.encryption.strictMode.allowRemoteNodeIdentities");
    expect(e.problem).toMatch(/192\.168\.56\.11 lies inside the strict-mode CIDR 192\.168\.56\.0\/24.*WriteNodeConfig/);
    expect(validate(config(OVERLAP, { strict: { allowRemoteNodeIdentities: true } }), overlapIps)).toEqual([]);
  });

  it("checks containment with the host bits masked, as Go's netip does", () => {
    const cfg = config(OVERLAP, { strict: { cidr: cidr("192.168.56.77/24") } });
    expect(refusal(cfg, overlapIps).path).toBe("cilium.encryption.strictMode.allowRemoteNodeIdentities");
  });

  it("strict mode without a CIDR (option parsing is fatal)", () => {
    const e = refusal(config(SEPARATE, { strict: { cidr: undefined } }), separateIps);
    expect(e.path).toBe("cilium.encryption.strictMode.cidr");
    expect(e.problem).toMatch(/IPv4 CIDR/);
  });

  it("1.19 ingress strict mode with IPsec, or without tunnelling", () => {
    const ipsec = refusal(config(SEPARATE, { version: "1.19", routingMode: "tunnel", encryption: "ipsec", strict: { ingress: true } }), separateIps);
    expect([ipsec.path, ipsec.problem]).toEqual(["cilium.encryption.strictMode.ingress.enabled", expect.stringMatching(/IPsec/)]);
    const native = refusal(config(SEPARATE, { version: "1.19", strict: { ingress: true } }), separateIps);
    expect([native.path, native.problem]).toEqual(["cilium.encryption.strictMode.ingress.enabled", expect.stringMatching(/tunnel/)]);
    expect(validate(config(SEPARATE, { version: "1.19", routingMode: "tunnel", strict: { ingress: true } }), separateIps)).toEqual([]);
  });

  it("names the field under the caller's paths", () => {
    const e = refusal(config(OVERLAP), overlapIps, { allowRemoteNodeIdentities: "base.cilium.encryption.strictMode.allowRemoteNodeIdentities" });
    expect(e.message.startsWith("base.cilium.encryption.strictMode.allowRemoteNodeIdentities: ")).toBe(true);
  });
});

describe("validateDatapath: what Cilium accepts but ignores", () => {
  const only = (cfg: DatapathConfig, nodeIps = separateIps) => {
    const warnings = validate(cfg, nodeIps);
    expect(warnings).toHaveLength(1);
    return warnings[0];
  };

  it("a strict CIDR with host bits set: the filter never matches", () => {
    expect(only(config(SEPARATE, { strict: { cidr: cidr("10.0.1.7/8") } }))).toMatch(/^cilium\.encryption\.strictMode\.cidr: 10\.0\.1\.7\/8 has host bits set.*never matches/);
  });

  it("a /0 strict CIDR", () => {
    expect(only(config(SEPARATE, { strict: { cidr: cidr("0.0.0.0/0"), allowRemoteNodeIdentities: true } }))).toMatch(/\/0/);
  });

  it("strict mode with IPsec before 1.19, and with encryption disabled", () => {
    expect(only(config(SEPARATE, { encryption: "ipsec", version: "1.18" }))).toMatch(/only with WireGuard/);
    expect(validate(config(SEPARATE, { encryption: "ipsec", version: "1.19" }), separateIps)).toEqual([]);
    expect(only(config(SEPARATE, { encryption: "disabled" }))).toMatch(/^cilium\.encryption\.strictMode\.enabled: encryption is disabled/);
  });

  it("IPsec strict mode in tunnel mode cannot see inside the tunnel (1.19)", () => {
    expect(only(config(SEPARATE, { encryption: "ipsec", version: "1.19", routingMode: "tunnel" }))).toMatch(/encapsulated/);
  });

  it("strict or ingress options on versions that do not have them", () => {
    expect(only(config(SEPARATE, { version: "1.14" }))).toMatch(/has no strict mode/);
    expect(only(config(SEPARATE, { version: "1.15", strict: { enabled: false, ingress: true } }))).toMatch(/^cilium\.encryption\.strictMode\.ingress\.enabled: .*1\.19/);
  });

  it("allowRemoteNodeIdentities without effect: tunnel mode, or no node IP in the CIDR", () => {
    expect(only(config(SEPARATE, { routingMode: "tunnel", strict: { allowRemoteNodeIdentities: true } }))).toMatch(/tunnel mode/);
    expect(only(config(SEPARATE, { strict: { allowRemoteNodeIdentities: true } }))).toMatch(/no node IP lies in 10\.0\.0\.0\/8/);
  });

  it("allowRemoteNodeIdentities with only some node IPs in the CIDR (truth table row 5)", () => {
    const cfg = config(SEPARATE, { strict: { allowRemoteNodeIdentities: true } });
    expect(only(cfg, [...separateIps, ip("10.255.0.4")])).toMatch(/only 1 of 3 node IPs/);
  });

  it("node encryption and ingress strict mode with encryption disabled", () => {
    expect(only(config(SEPARATE, { encryption: "disabled", nodeEncryption: true, strict: { enabled: false } }))).toMatch(/^cilium\.encryption\.nodeEncryption: /);
    expect(only(config(SEPARATE, { version: "1.19", routingMode: "tunnel", encryption: "disabled", strict: { enabled: false, ingress: true } }))).toMatch(/ingress/);
  });

  it("a clean configuration has no warnings", () => {
    expect(validate(config(SEPARATE), separateIps)).toEqual([]);
    expect(validate(config(SEPARATE, { strict: { enabled: false, cidr: undefined } }), separateIps)).toEqual([]);
  });
});

describe("version traits", () => {
  it("match the research timeline", () => {
    const row = (key: keyof (typeof VERSION_TRAITS)["1.15"]) => CILIUM_VERSIONS.map((v) => VERSION_TRAITS[v][key]);
    // Versions in order: 1.14, pr21856, 1.15, 1.16, 1.17, 1.18, 1.19.
    expect(row("strictMode")).toEqual([false, true, true, true, true, true, true]);
    expect(row("strictPlacement")).toEqual(["overlay-or-netdev", "overlay-or-netdev", "netdev", "netdev", "netdev", "netdev", "netdev"]);
    expect(row("tunnelThenWireGuard")).toEqual([false, false, true, true, true, true, true]);
    expect(row("podCidrEntries")).toEqual([false, false, false, false, false, true, true]);
    expect(row("nodeIdentityTest")).toEqual([...Array(6).fill("identity_is_node"), "identity_is_remote_node"]);
    expect(row("ingressStrict")).toEqual([false, false, false, false, false, false, true]);
    expect(row("ipsecUsesPodCidrEntries")).toEqual([false, false, false, false, false, false, true]);
  });

  it("judge 1.16 and 1.17 as 1.15 (their datapath differs in nothing modelled)", () => {
    expect(VERSION_TRAITS["1.16"]).toEqual(VERSION_TRAITS["1.15"]);
    expect(VERSION_TRAITS["1.17"]).toEqual(VERSION_TRAITS["1.15"]);
  });

  it("decide when the egress filter and the ingress check are in effect", () => {
    expect(egressStrictCompiled(config(SEPARATE))).toBe(true);
    expect(egressStrictCompiled(config(SEPARATE, { version: "1.14" }))).toBe(false);
    expect(ingressStrictActive(config(SEPARATE, { version: "1.19", routingMode: "tunnel", strict: { ingress: true } }))).toBe(true);
    expect(ingressStrictActive(config(SEPARATE, { version: "1.18", routingMode: "tunnel", strict: { ingress: true } }))).toBe(false);
  });
});
