import { formatDuration, parseDuration } from '../format/duration.js';
import type { AnyKindDefinition, SecretOr, StateFingerprint } from './define.js';

// Building blocks for the kinds' stateFingerprint, and how a restore compares fingerprints.

/** A duration in one canonical spelling (`60s` and `1m` are the same state); null when absent. */
export const canonicalDuration = (d: string | number | undefined): string | null =>
  d === undefined ? null : formatDuration(parseDuration(d));

/** A connection URL without its credentials (a fingerprint is stored in plain JSON); a secret by its name. */
export function endpoint(url: SecretOr | undefined): string | null {
  if (url === undefined) return null;
  if (typeof url !== 'string') return `secret ${url.secret}`;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return url.replace(/^[^@/]*@/, '');
  }
}

/** JSON with object keys sorted, so equal fingerprints are equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The fingerprint of a node's checkpointed state as stored with a checkpoint (canonical
 * JSON), or undefined for a kind that restores nothing but watermarks. Params are parsed
 * first, so a default left out and the same default written out fingerprint alike.
 */
export function stateFingerprintOf(def: AnyKindDefinition | undefined, params: unknown): string | undefined {
  if (!def?.stateFingerprint) return undefined;
  const parsed = def.params.safeParse(params);
  return canonicalJson(def.stateFingerprint(parsed.success ? parsed.data : params));
}

const show = (v: unknown): string =>
  v === undefined || v === null ? 'none' : Array.isArray(v) ? `[${v.map(show).join(', ')}]` : typeof v === 'string' ? v : JSON.stringify(v);

/** What differs between a stored and a current fingerprint, for the restore plan: `size 5s → 10s`. */
export function fingerprintChanges(stored: string, current: string): string[] {
  const parse = (s: string): Record<string, unknown> => {
    try {
      const v = JSON.parse(s) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
    } catch {
      return { fingerprint: s };
    }
  };
  const a = parse(stored);
  const b = parse(current);
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return names.filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k])).map((k) => `${k} ${show(a[k])} → ${show(b[k])}`);
}

export type { StateFingerprint };
