import { describe, expect, it } from "vitest";
import {
  encryptionCost,
  hardwareProfile,
  hardwareProfileNames,
  validateHardwareProfile,
} from "../../../models/cost/index.ts";

describe("built-in hardware profiles", () => {
  it("are found by name and returned as independent copies", () => {
    const a = hardwareProfile("ryzen-3950x-100g");
    a.cores = 1;
    a.pathCycles.segment = 1;
    expect(hardwareProfile("ryzen-3950x-100g").cores).toBe(16);
    expect(hardwareProfile("ryzen-3950x-100g").pathCycles.segment).toBeGreaterThan(1);
  });

  it("an unknown name throws listing every valid name", () => {
    expect(() => hardwareProfile("pdp-11")).toThrow(/pdp-11/);
    for (const name of hardwareProfileNames()) expect(() => hardwareProfile("pdp-11")).toThrow(name);
  });

  it("every built-in passes its own validation and runs through the model", () => {
    for (const name of hardwareProfileNames()) {
      const p = validateHardwareProfile(hardwareProfile(name) as unknown, "hardware");
      expect(p.name).toBe(name);
      const r = encryptionCost({
        encryption: "wireguard",
        routingMode: "native",
        ciliumVersion: "1.19",
        ipFamily: "ipv4",
        underlayMtu: p.underlayMtu,
        hardware: p,
        packetBytes: 1400,
        peers: 3,
      });
      expect(r.pair.encrypted.gbps).toBeGreaterThan(0);
    }
  });
});

describe("validateHardwareProfile", () => {
  const minimal = { cores: 4, clockGhz: 3, nicGbps: 10, rttUs: 40, cryptoCyclesPerByte: { chacha20poly1305: 2, aesgcm: 1 } };

  it("accepts a built-in name", () => {
    expect(validateHardwareProfile("generic-x86-25g", "hardware").nicGbps).toBe(25);
  });

  it("rejects an unknown name, listing the valid ones", () => {
    expect(() => validateHardwareProfile("nope", "hardware")).toThrow(/^hardware: unknown hardware profile "nope"; valid names: .*ryzen-3950x-100g/);
  });

  it("completes a minimal user profile with documented defaults", () => {
    const p = validateHardwareProfile(minimal, "hardware");
    expect(p.threadsPerCore).toBe(1);
    expect(p.underlayMtu).toBe(1500);
    expect(p.cryptoCyclesPerPacket.chacha20poly1305).toBeGreaterThan(0);
    expect(p.pathCycles).toEqual(hardwareProfile("ryzen-3950x-100g").pathCycles);
  });

  it("names the offending nested field by dotted path", () => {
    const bad = { ...minimal, cryptoCyclesPerByte: { chacha20poly1305: -1, aesgcm: 1 } };
    expect(() => validateHardwareProfile(bad, "hardware")).toThrow(
      "hardware.cryptoCyclesPerByte.chacha20poly1305 must be a positive number, got -1",
    );
    expect(() => validateHardwareProfile({ ...minimal, cores: 2.5 }, "scenario.hardware")).toThrow(
      "scenario.hardware.cores must be a positive integer, got 2.5",
    );
    expect(() => validateHardwareProfile({ ...minimal, pathCycles: { segment: "x" } }, "hardware")).toThrow(
      'hardware.pathCycles.segment must be a positive number, got "x"',
    );
  });

  it("rejects unknown keys, naming the key and the valid ones", () => {
    expect(() => validateHardwareProfile({ ...minimal, ghz: 3 }, "hardware")).toThrow(
      /^hardware\.ghz is not a known field; valid fields: base, name, .*clockGhz/,
    );
    expect(() =>
      validateHardwareProfile({ ...minimal, cryptoCyclesPerByte: { chacha20poly1305: 1, aesgcm: 1, aes: 1 } }, "hardware"),
    ).toThrow("hardware.cryptoCyclesPerByte.aes is not a known field; valid fields: chacha20poly1305, aesgcm");
  });

  it("requires the hardware facts when no base is given", () => {
    const { clockGhz: _, ...noClock } = minimal;
    expect(() => validateHardwareProfile(noClock, "hardware")).toThrow("hardware.clockGhz is required when hardware.base is not given");
    expect(() => validateHardwareProfile({ ...minimal, cryptoCyclesPerByte: { aesgcm: 1 } }, "hardware")).toThrow(
      "hardware.cryptoCyclesPerByte.chacha20poly1305 is required",
    );
  });

  it("extends a built-in through base, overriding only what is given", () => {
    const p = validateHardwareProfile({ base: "ryzen-3950x-100g", nicGbps: 25, pathCycles: { segment: 9000 } }, "hardware");
    expect(p.nicGbps).toBe(25);
    expect(p.cores).toBe(16);
    expect(p.pathCycles.segment).toBe(9000);
    expect(p.serial).toEqual(hardwareProfile("ryzen-3950x-100g").serial);
    expect(() => validateHardwareProfile({ base: "nope" }, "hw")).toThrow(/^hw\.base: unknown hardware profile "nope"; valid names/);
  });

  it("rejects values that are neither a name nor an object", () => {
    expect(() => validateHardwareProfile(42, "hardware")).toThrow(/hardware must be a built-in profile name/);
    expect(() => validateHardwareProfile([minimal], "hardware")).toThrow(/hardware must be a built-in profile name/);
  });
});

describe("platform, clock basis, flow cap and serial stage", () => {
  const minimal = { cores: 4, clockGhz: 3, nicGbps: 10, rttUs: 40, cryptoCyclesPerByte: { chacha20poly1305: 2, aesgcm: 1 } };

  it("every built-in states its platform class and what its clock is", () => {
    for (const name of hardwareProfileNames()) {
      const p = hardwareProfile(name);
      expect(["bare-metal", "virtualised"]).toContain(p.platform);
      expect(["base", "sustained"]).toContain(p.clockBasis);
      expect(p.serial.wireguardPacket).toBeGreaterThan(0);
    }
    expect(hardwareProfile("ryzen-3950x-100g")).toMatchObject({ platform: "bare-metal", clockBasis: "base", flowCapGbps: null });
  });

  it("a user profile defaults to bare metal, a base clock, no cap and the class's serial stage", () => {
    const p = validateHardwareProfile(minimal, "hardware");
    expect(p).toMatchObject({ platform: "bare-metal", clockBasis: "base", flowCapGbps: null });
    expect(p.serial).toEqual(hardwareProfile("ryzen-3950x-100g").serial);
  });

  it("accepts overrides and names bad values by path", () => {
    const p = validateHardwareProfile({ base: "generic-x86-25g", flowCapGbps: 10, serial: { wireguardPacket: 9000 }, clockBasis: "sustained" }, "hw");
    expect(p.flowCapGbps).toBe(10);
    expect(p.serial.wireguardPacket).toBe(9000);
    expect(p.serial.perByte).toBe(hardwareProfile("generic-x86-25g").serial.perByte);
    expect(validateHardwareProfile({ base: "aws-c6i-8xlarge", flowCapGbps: null }, "hw").flowCapGbps).toBeNull();
    expect(() => validateHardwareProfile({ ...minimal, platform: "cloud" }, "hw")).toThrow('hw.platform must be one of bare-metal, virtualised, got "cloud"');
    expect(() => validateHardwareProfile({ ...minimal, clockBasis: "boost" }, "hw")).toThrow('hw.clockBasis must be one of base, sustained, got "boost"');
    expect(() => validateHardwareProfile({ ...minimal, flowCapGbps: 0 }, "hw")).toThrow("hw.flowCapGbps must be a positive number of Gbit/s or null, got 0");
    expect(() => validateHardwareProfile({ ...minimal, serial: { wireguardSerial: 1 } }, "hw")).toThrow(/^hw\.serial\.wireguardSerial is not a known field; valid fields: wireguardPacket/);
  });
});
