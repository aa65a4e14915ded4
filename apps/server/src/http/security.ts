// Who may talk to the server: the Host it is reached by, the Origin of state-changing
// requests, and the token. Pure checks here; the Express and socket.io glue is in
// security-middleware.ts. The threat model is in docs/security.md.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

/** Shorter tokens can be guessed over the network; generated ones are 32 characters. */
export const MIN_TOKEN_LENGTH = 16;

export interface AccessOptions {
  /** The address the server listens on. */
  host: string;
  /** Needed by every API call, /metrics and the socket when set; required beyond loopback. */
  token?: string;
  /** Extra names (or IPs) the Host header may carry: `name`, `.suffix` for a domain and its subdomains, or `*` for any. */
  allowedHosts?: string[];
}

export interface AccessPolicy {
  readonly token: string | null;
  /** Whether a Host header (`name[:port]`) names this server. */
  hostAllowed(hostHeader: string | undefined): boolean;
  /** The token a request carries (Bearer header or the session cookie), if any. */
  tokenOf(req: IncomingMessage): string | undefined;
  /** Constant-time comparison with the server's token; true when no token is set. */
  authorized(req: IncomingMessage): boolean;
  tokenMatches(given: unknown): boolean;
  /** The session cookie's name: per port, as cookies are shared by all ports of a host. */
  cookieName(): string;
  setPort(port: number): void;
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** A host name or address with brackets and a trailing dot removed, lower case. */
const bare = (name: string) => name.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');

/** localhost, *.localhost (browsers resolve those to loopback themselves), 127.0.0.0/8 and ::1. */
export function isLoopback(name: string): boolean {
  const h = bare(name);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const family = isIP(h);
  return family !== 0 && loopback.check(h, family === 4 ? 'ipv4' : 'ipv6');
}

const isWildcard = (host: string) => ['0.0.0.0', '::', ''].includes(bare(host));

/** The host name of a Host header (`name`, `name:port`, `[v6]:port`), or undefined when malformed. */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  try {
    const url = new URL(`http://${hostHeader}`);
    if (url.host !== hostHeader.toLowerCase() && `${url.host}:80` !== hostHeader.toLowerCase()) return undefined; // userinfo, paths…
    return bare(url.hostname);
  } catch {
    return undefined;
  }
}

/** Names a server bound to every interface is reached by: its host name and its interfaces' addresses. */
function interfaceNames(): string[] {
  const names = [hostname()];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.push(a.address);
  return names;
}

/** Refuses a configuration that would expose the server without a credential. */
export function checkExposure(options: AccessOptions): void {
  const { host, token } = options;
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`The token is too short (${token.length} characters): use at least ${MIN_TOKEN_LENGTH}, or --token generate for a random one`);
  }
  if (!isLoopback(host) && token === undefined) {
    throw new Error(`Eddy would listen on ${host}, beyond loopback, without a token: anyone who reaches the port could read and run pipelines. `
      + 'Set EDDY_TOKEN=<secret> or pass --token <secret> (at least 16 characters), or --token generate to have one made and printed; '
      + 'or listen on 127.0.0.1 (see docs/security.md)');
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Cookie header → the value of one cookie. */
function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function accessPolicy(options: AccessOptions): AccessPolicy {
  checkExposure(options);
  const token = options.token ?? null;
  const tokenDigest = token === null ? null : digest(token);
  const extra = (options.allowedHosts ?? []).map((h) => h.trim()).filter(Boolean);
  const anyHost = extra.includes('*');
  const names = new Set([...extra.filter((h) => !h.startsWith('.')).map(bare), bare(options.host)]);
  const suffixes = extra.filter((h) => h.startsWith('.')).map((h) => bare(h));
  if (isWildcard(options.host)) for (const n of interfaceNames()) names.add(bare(n));
  let port = 0;

  const tokenMatches = (given: unknown) => tokenDigest === null || (typeof given === 'string' && timingSafeEqual(digest(given), tokenDigest));
  const policy: AccessPolicy = {
    token,
    hostAllowed(hostHeader) {
      const name = hostnameOf(hostHeader);
      if (name === undefined) return false;
      return anyHost || isLoopback(name) || names.has(name) || suffixes.some((s) => name === s.slice(1) || name.endsWith(s));
    },
    tokenOf(req) {
      const auth = req.headers.authorization;
      const bearer = auth && /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
      return bearer || cookie(req.headers.cookie, policy.cookieName());
    },
    authorized(req) {
      return token === null || tokenMatches(policy.tokenOf(req));
    },
    tokenMatches,
    cookieName: () => `eddy_token_${port}`,
    setPort(p) { port = p; },
  };
  return policy;
}

/**
 * Whether an Origin header is the server's own origin (as reached through `hostHeader`);
 * an absent Origin (curl, scripts) passes, `null` (sandboxed frames, files) does not.
 */
export function sameOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!hostHeader) return false;
  try {
    const o = new URL(origin);
    if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
    // Compare as the browser would: the default port of the origin's scheme is implied.
    return o.host === new URL(`${o.protocol}//${hostHeader}`).host;
  } catch {
    return false;
  }
}
