// IPv4 addresses and CIDRs as 32-bit numbers: the arithmetic node IPAM, the Service allocator, the agent's
// pod networks and its relay all do, in one place. Parsing is strict (dotted quads of 0–255, no leading
// signs or spaces), as Go's net.ParseIP and net.ParseCIDR are for IPv4.

export interface CIDR {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

/** The four octets of a dotted quad, or undefined when it is not one. */
export function parseOctets(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  return octets.every((n) => n >= 0 && n <= 255) ? octets : undefined;
}

/** An IPv4 address as a number, or undefined when it is not a dotted quad. */
export function parseIP(text: string): number | undefined {
  const o = parseOctets(text);
  return o ? ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0 : undefined;
}

export const ipString = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** net.ParseCIDR for IPv4, masked to its network; undefined when malformed. */
export function parseCIDR(text: string): CIDR | undefined {
  const [ip, bits, extra] = text.split("/");
  if (extra !== undefined || !bits || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  const n = parseIP(ip ?? "");
  if (n === undefined) return undefined;
  const prefix = Number(bits);
  return { base: (n & maskOf(prefix)) >>> 0, prefix };
}

export const cidrString = (c: CIDR) => `${ipString(c.base)}/${c.prefix}`;

export function cidrContains(c: CIDR, ip: number): boolean {
  return (ip & maskOf(c.prefix)) >>> 0 === c.base;
}
