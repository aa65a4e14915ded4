import { PIPELINE_FORMAT } from './document.js';
import type { ValidationIssue } from '../validate/issues.js';

const FORMAT_RE = /^eddy\/pipeline@(\d+)$/;
export const CURRENT_FORMAT_VERSION = 2;

/**
 * Upgrades a document of an older format version, one step at a time.
 * 1 → 2: version 2 adds `settings.parallelism` and the `tests` section (optional, so a version-1
 * document means the same); the number changes so that a version-1 reader refuses a document
 * that may carry them, with a clear message, instead of failing on an unknown field.
 */
const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  1: (doc) => ({ ...doc, format: 'eddy/pipeline@2' }),
};

export type MigrationResult =
  | { ok: true; document: Record<string, unknown>; from: number }
  | { ok: false; error: ValidationIssue };

/**
 * The offending `format` for the message: a string or number as written (cut short), anything
 * else by its type — echoing an untrusted value whole could overflow the stack (deep nesting)
 * or return megabytes.
 */
function describeFormat(format: unknown): string {
  if (typeof format === 'string') return JSON.stringify(format.length > 80 ? `${format.slice(0, 80)}…` : format);
  if (typeof format === 'number' || typeof format === 'boolean' || format === null) return String(format);
  return `(${Array.isArray(format) ? 'an array' : 'an object'})`;
}

export function migrateDocument(doc: Record<string, unknown>): MigrationResult {
  const format = doc.format;
  if (format === undefined) {
    return { ok: false, error: { code: 'unknown_format', path: 'format', message: `Missing 'format': expected '${PIPELINE_FORMAT}'` } };
  }
  const m = typeof format === 'string' ? FORMAT_RE.exec(format) : null;
  const version = m ? Number(m[1]) : NaN;
  if (!m || version < 1 || version > CURRENT_FORMAT_VERSION) {
    return {
      ok: false,
      error: { code: 'unknown_format', path: 'format',
        message: `Unknown format version ${describeFormat(format)}: this Eddy reads '${PIPELINE_FORMAT}' (and migrates older versions)` },
    };
  }
  let current = doc;
  for (let v = version; v < CURRENT_FORMAT_VERSION; v++) current = MIGRATIONS[v](current);
  return { ok: true, document: current, from: version };
}
