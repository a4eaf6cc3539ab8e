/**
 * The pod ranges of a scenario's addressing, checked against its node subnet: overlapping
 * styles take pods from the subnet (or a range that contains it), separate styles from their
 * own ranges, cut into per-node blocks (cloud.ts puts them together).
 */
import { SpecError } from "../../sim/errors.ts";
import type { AddressingInput, AddressingPaths, IpamMode } from "./cloud.ts";
import { contains, formatIpv4, hostBitsSet, networkOf, overlaps, parseCidr, size, type Cidr } from "./ipv4.ts";
import { MODES, type CloudProfile } from "./profiles.ts";

/** How many of the subnet's usable addresses (reserved ones excluded) lie in `r`. */
export function usableIn(r: Cidr, subnet: Cidr, profile: CloudProfile): number {
  const first = networkOf(subnet) + profile.reservedHead;
  const last = networkOf(subnet) + size(subnet) - 1 - profile.reservedTail;
  return Math.max(0, Math.min(last, networkOf(r) + size(r) - 1) - Math.max(first, networkOf(r)) + 1);
}

/** Overlapping styles: pods share the node subnet; a given pod range must contain it. */
export function overlappingPods(input: AddressingInput, mode: IpamMode, nodeSubnet: Cidr, paths: AddressingPaths): { ranges: Cidr[]; maskSize?: number } {
  if (input.podCidrMaskSize !== undefined) {
    throw new SpecError(paths.podCidrMaskSize, `${mode} IPAM gives pods single addresses from the node subnet, not per-node blocks; leave it out`);
  }
  if (input.podCidr === undefined) return { ranges: [nodeSubnet] };
  if (typeof input.podCidr !== "string") throw new SpecError(paths.podCidr, `${mode} IPAM takes one pod range (the node subnet or a range that contains it), not a list`);
  const range = networkCidr(input.podCidr, paths.podCidr);
  if (range.bits > nodeSubnet.bits || !contains(range, nodeSubnet.base)) {
    throw new SpecError(
      paths.podCidr,
      `${range.text} does not contain ${paths.nodeSubnet} ${nodeSubnet.text}; ${mode} IPAM takes pod addresses from the node subnet, so the pod range must cover it`,
    );
  }
  return { ranges: [range] };
}

/**
 * Separate styles: pod ranges apart from the node subnet, cut into per-node blocks. A list
 * (cluster-pool) is modelled whole: every entry must be a valid range apart from the others, and
 * blocks come from the first entry that has one free. A range must lie outside the node subnet,
 * except that cluster-pool may take a range inside it, whose addresses nodes then do not get:
 * Cilium's own e2e test runs nodes in 192.168.56.0/24 with the pool 192.168.56.128/25
 * (test/k8s/datapath_configuration.go L556-571 at 5da5882); a range that overlaps the subnet
 * without lying inside it would take node addresses.
 */
export function separatePods(input: AddressingInput, mode: IpamMode, nodeSubnet: Cidr, paths: AddressingPaths): { ranges: Cidr[]; maskSize: number } {
  const defaults = MODES[mode];
  const given = input.podCidr;
  const list = given === undefined ? [defaults.podCidr!] : typeof given === "string" ? [given] : given;
  const pathOf = (i: number) => (given === undefined || typeof given === "string" ? paths.podCidr : `${paths.podCidr}[${i}]`);
  if (list.length === 0) throw new SpecError(paths.podCidr, "must list at least one pod range");
  const maskSize = input.podCidrMaskSize ?? defaults.podCidrMaskSize!;
  const ranges = list.map((text, i) => {
    const range = networkCidr(text, pathOf(i));
    const inside = mode === "cluster-pool" && range.bits > nodeSubnet.bits && contains(nodeSubnet, range.base);
    if (overlaps(range, nodeSubnet) && !inside) {
      const which = given === undefined ? `the ${mode} default ${range.text}` : range.text;
      throw new SpecError(
        pathOf(i),
        `${which} overlaps ${paths.nodeSubnet} ${nodeSubnet.text}; with ${mode} IPAM pods need a range outside the node subnet${mode === "cluster-pool" ? " or strictly inside it (then nodes take the rest)" : ""}, or nodes lose connectivity to each other (cluster-pool.rst)`,
      );
    }
    return range;
  });
  ranges.forEach((range, i) => {
    const j = ranges.findIndex((other, k) => k < i && overlaps(other, range));
    if (j >= 0) throw new SpecError(pathOf(i), `${range.text} overlaps ${pathOf(j)} ${ranges[j].text}; the operator would hand out the shared blocks twice`);
  });
  ranges.forEach((range, i) => checkMaskSize(maskSize, range, { ...paths, podCidr: pathOf(i) }));
  return { ranges, maskSize };
}

// Per-node blocks wider than /16 are outside this model: each block is tracked address by address.
const WIDEST_BLOCK = 16;
// A block must hold router, health and at least one pod besides network and broadcast: 8 addresses.
const NARROWEST_BLOCK = 29;

function checkMaskSize(maskSize: number, range: Cidr, paths: AddressingPaths): void {
  const path = paths.podCidrMaskSize;
  if (!Number.isInteger(maskSize)) throw new SpecError(path, `must be a whole prefix length, got ${maskSize}`);
  if (maskSize < range.bits) {
    throw new SpecError(path, `a /${maskSize} block does not fit in ${paths.podCidr} ${range.text}; use /${range.bits} or longer`);
  }
  if (maskSize < WIDEST_BLOCK) throw new SpecError(path, `per-node blocks wider than /${WIDEST_BLOCK} are not modelled, got /${maskSize}`);
  if (maskSize > NARROWEST_BLOCK) {
    throw new SpecError(path, `a /${maskSize} block cannot hold a router, a health address and a pod besides its network and broadcast addresses; use /${NARROWEST_BLOCK} or shorter`);
  }
}

/** A CIDR written with its network address, as clouds and Cilium's pools require. */
export function networkCidr(text: unknown, path: string): Cidr {
  const cidr = parseCidr(text, path);
  if (hostBitsSet(cidr)) {
    throw new SpecError(path, `${cidr.text} has host bits set; write the network address, ${formatIpv4(networkOf(cidr))}/${cidr.bits}`);
  }
  return cidr;
}
