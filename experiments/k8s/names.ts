/**
 * Names and values Kubernetes accepts, checked before any manifest is printed: object names
 * derived from the sweep name, and the parsers of `npm run k8s` flags (namespace, claim,
 * image, quantities), each a one-line error naming the flag, as args.ts does for the others.
 */
import { UsageError } from "../args.ts";
import { sha256 } from "../store/hash.ts";

/** RFC 1123 label: what namespaces, Job and ConfigMap names and label values must be. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MAX = 63;
/** RFC 1123 subdomain: PersistentVolumeClaim and StorageClass names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_SUBDOMAIN_MAX = 253;

export const isDnsLabel = (s: string): boolean => s.length <= DNS_LABEL_MAX && DNS_LABEL.test(s);
export const isDnsSubdomain = (s: string): boolean => s.length <= DNS_SUBDOMAIN_MAX && DNS_SUBDOMAIN.test(s);

/**
 * Room left for suffixes: the longest object name is `<base>-results`, and the Indexed Job's
 * pods are named (and their hostname is) `<base>-shards-<index>`, which must stay a label
 * for every index up to 99999.
 */
export const BASE_MAX = DNS_LABEL_MAX - "-shards-99999".length;

/**
 * The stem of every object's name: the sweep name lowercased, with runs of other characters
 * than letters and digits turned into one "-". When that changed the name (case, "_" or ".")
 * or it had to be shortened, a short hash of the sweep name is appended, so sweeps whose names
 * differ only there still get different objects.
 */
export function baseName(sweepName: string): string {
  const plain = sweepName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (plain === sweepName && plain.length <= BASE_MAX) return plain;
  const hash = sha256(sweepName).slice(0, 6);
  const stem = plain.slice(0, BASE_MAX - hash.length - 1).replace(/-+$/, "");
  return stem === "" ? `sweep-${hash}` : `${stem}-${hash}`;
}

export function dnsLabel(text: string, flag: string): string {
  if (!isDnsLabel(text)) {
    throw new UsageError(`${flag} must be a DNS-1123 label (at most ${DNS_LABEL_MAX} lowercase letters, digits and "-", starting and ending with a letter or digit), got ${JSON.stringify(text)}`);
  }
  return text;
}

export function dnsSubdomain(text: string, flag: string): string {
  if (!isDnsSubdomain(text)) {
    throw new UsageError(`${flag} must be a DNS-1123 subdomain (at most ${DNS_SUBDOMAIN_MAX} lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit), got ${JSON.stringify(text)}`);
  }
  return text;
}

// A container image reference: [registry[:port]/]path[:tag][@algorithm:digest].
const HOST_PART = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
const REGISTRY = `${HOST_PART}(?:\\.${HOST_PART})*(?::[0-9]+)?`;
const PATH_PART = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const IMAGE = new RegExp(`^(?:${REGISTRY}/)?${PATH_PART}(?:/${PATH_PART})*(?::${TAG})?(?:@${DIGEST})?$`);

export interface ImageRef {
  ref: string;
  /** Neither a tag other than `latest` nor a digest: pods may pull different builds. */
  floating: boolean;
}

export function imageRef(text: string, flag: string): ImageRef {
  if (text.length > 512 || !IMAGE.test(text)) {
    throw new UsageError(`${flag} must be a container image reference such as registry.example.com/leaklab:0.1.0 (lowercase path, optional :tag and @sha256:digest), got ${JSON.stringify(text)}`);
  }
  const digest = text.includes("@");
  const lastPart = text.slice(text.lastIndexOf("/") + 1).split("@")[0];
  const tag = lastPart.includes(":") ? lastPart.slice(lastPart.indexOf(":") + 1) : undefined;
  return { ref: text, floating: !digest && (tag === undefined || tag === "latest") };
}

/** A byte quantity as Kubernetes writes it (512Mi, 2Gi, 1.5G, 1000000), greater than zero. */
export function byteQuantity(text: string, flag: string): string {
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(text);
  if (m === null || Number(m[1]) <= 0) {
    throw new UsageError(`${flag} must be an amount of bytes such as 512Mi, 2Gi or 1.5G, got ${JSON.stringify(text)}`);
  }
  return text;
}

/** Bytes rounded up to whole MiB (at most 1023) or GiB, as a quantity. */
export function roundedQuantity(bytes: number): string {
  const mib = Math.ceil(bytes / 2 ** 20);
  return mib < 1024 ? `${mib}Mi` : `${Math.ceil(bytes / 2 ** 30)}Gi`;
}
