import { readFileSync, statSync } from 'node:fs';
import { getKind, secretParams, formatPath, type PipelineDocument, type ValidationIssue } from '@eddy/shared';
import { registerSecretValue } from './redact.js';

/**
 * Where `{ "secret": "NAME" }` params come from: only names the operator gave Eddy — the
 * environment variable EDDY_SECRET_NAME, or "NAME" in a secrets file (the server's
 * `<data>/secrets.json`, readable by its owner only). Never an arbitrary environment variable:
 * a document must not be able to read PATH, HOME or the server's own credentials.
 */
export interface SecretsOptions {
  /** A JSON object of NAME → value; must not be readable by group or others (chmod 600). */
  secretsFile?: string;
  env?: NodeJS.ProcessEnv;
}

export const SECRET_ENV_PREFIX = 'EDDY_SECRET_';

export class SecretSource {
  private file: Record<string, string> | null | undefined;

  constructor(private readonly options: SecretsOptions = {}) {}

  get(name: string): string | undefined {
    const fromEnv = (this.options.env ?? process.env)[SECRET_ENV_PREFIX + name];
    if (fromEnv) return fromEnv;
    const v = this.readFile()?.[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  }

  /** Where a missing secret can be given, for the error. */
  where(name: string): string {
    return `set the environment variable ${SECRET_ENV_PREFIX}${name}${this.options.secretsFile ? ` or add "${name}" to ${this.options.secretsFile}` : ''}`;
  }

  private readFile(): Record<string, string> | null {
    if (this.file !== undefined) return this.file;
    const path = this.options.secretsFile;
    this.file = null;
    if (!path) return null;
    let mode: number;
    try {
      mode = statSync(path).mode;
    } catch {
      return null; // no secrets file: environment variables only
    }
    if (mode & 0o077) throw new Error(`${path} is readable by others: make it readable by its owner only (chmod 600 ${path})`);
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${path} must hold a JSON object of secret names and values`);
    this.file = parsed as Record<string, string>;
    return this.file;
  }
}

const isSecretRef = (v: unknown): v is { secret: string } =>
  typeof v === 'object' && v !== null && typeof (v as { secret?: unknown }).secret === 'string';

/**
 * Resolves every `{ "secret": "NAME" }` of a document: the params each node's operator gets
 * (secrets filled in, remembered for redaction), or one validation error per secret that is
 * not given. The document itself keeps the references.
 */
export function resolveDocumentSecrets(doc: PipelineDocument, source: SecretSource):
  { params: Map<string, Record<string, unknown>>; issues: ValidationIssue[] } {
  const params = new Map<string, Record<string, unknown>>();
  const issues: ValidationIssue[] = [];
  doc.nodes.forEach((node, i) => {
    const def = getKind(node.kind);
    if (!def) return;
    let resolved: Record<string, unknown> | undefined;
    for (const param of secretParams(def)) {
      const ref = (node.params as Record<string, unknown>)[param];
      if (!isSecretRef(ref)) continue;
      let value: string | undefined;
      try {
        value = source.get(ref.secret);
      } catch (err) {
        issues.push({ code: 'unknown_secret', nodeId: node.id, path: formatPath(['nodes', i, 'params', param]), message: (err as Error).message });
        continue;
      }
      if (value === undefined) {
        issues.push({ code: 'unknown_secret', nodeId: node.id, path: formatPath(['nodes', i, 'params', param]),
          message: `The secret '${ref.secret}' is not given: ${source.where(ref.secret)} (Eddy reads no other environment variables)` });
        continue;
      }
      registerSecretValue(ref.secret, value);
      (resolved ??= { ...(node.params as Record<string, unknown>) })[param] = value;
    }
    if (resolved) params.set(node.id, resolved);
  });
  return { params, issues };
}

/** Validation errors for the secrets of a document that are not given (the server's validate, before a deploy). */
export function checkSecrets(doc: PipelineDocument, options: SecretsOptions = {}): ValidationIssue[] {
  return resolveDocumentSecrets(doc, new SecretSource(options)).issues;
}

/**
 * A param that may be a secret, as an operator opens its connection. The job has already
 * filled in the document's secrets, so this is a plain string; a reference reaching here
 * (an operator built outside a job) resolves from EDDY_SECRET_NAME only.
 */
export function resolveSecret(value: string | { secret: string }, param: string): string {
  if (typeof value === 'string') return value;
  const source = new SecretSource();
  const v = source.get(value.secret);
  if (v === undefined) throw new Error(`Param '${param}' refers to the secret ${value.secret}, which is not given: ${source.where(value.secret)}`);
  registerSecretValue(value.secret, v);
  return v;
}
