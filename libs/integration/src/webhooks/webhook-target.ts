import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may be sent. A URL a user registers must not turn the projector into a way
 * into our own network: http(s) only, and no private, loopback, link-local (cloud metadata),
 * carrier-grade NAT, multicast or reserved address, checked on every resolution (so a name
 * that later resolves inward is refused then), unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true.
 */
const INWARD = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  INWARD.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  INWARD.addSubnet(net, prefix, 'ipv6');
}

export function isInwardAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INWARD.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 4) return INWARD.check(address, 'ipv4');
  if (family === 6) return INWARD.check(address, 'ipv6');
  return true;
}

export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

/** The URL's problems as a user should read them, or none. Does not resolve names. */
export function targetUrlProblems(raw: string, allowPrivate: boolean): string[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return ['url must be an absolute http(s) URL'];
  }
  const problems: string[] = [];
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push('url must use http or https');
  if (url.username || url.password) problems.push('url must not carry credentials (sign with the secret instead)');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isInwardAddress(host)))) {
    problems.push('url must not point at a private, loopback or link-local address');
  }
  return problems;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses inward addresses: the check and the connection use
 * the same resolution, so a name cannot pass the check and then resolve elsewhere (DNS rebinding).
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    dnsLookup(hostname, { family: options.family ?? 0, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = allowPrivate ? [] : addresses.filter((a) => isInwardAddress(a.address));
      if (refused.length > 0) {
        return callback(new TargetRefusedError(`${hostname} resolves to ${refused[0].address}, a private, loopback or link-local address`), []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
