import { z } from 'zod';
import type { PipelineDocument } from '../format/document.js';
import { getKind } from '../catalog/index.js';
import type { AnyKindDefinition } from '../catalog/define.js';
import { formatPath, type ValidationIssue } from './issues.js';

const secretParamCache = new Map<string, string[]>();

/** A kind's params that may be `{ "secret": "NAME" }` (built with secretOr): connection URLs, broker lists. */
export function secretParams(def: AnyKindDefinition): string[] {
  let names = secretParamCache.get(def.kind);
  if (!names) {
    const schema = z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { anyOf?: { properties?: object }[] }> };
    names = Object.entries(schema.properties ?? {})
      .filter(([, s]) => s.anyOf?.some((alt) => alt.properties && 'secret' in alt.properties))
      .map(([name]) => name);
    secretParamCache.set(def.kind, names);
  }
  return names;
}

const USERINFO = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#@\s]*)@/i;
const SECRET_QUERY = /[?&;](password|passwd|pwd|pass|secret|token|access_token|api_key|apikey|sslpassword|sasl_password)=[^&;#\s]/i;

/** What credential a connection string holds inline, or null: `user:password@`, `:password@`, `?password=…`. */
export function inlineCredential(value: string): string | null {
  for (const entry of value.split(',')) {
    const userinfo = USERINFO.exec(entry.trim())?.[1];
    if (userinfo !== undefined && /:./.test(userinfo)) return 'a password';
    const query = SECRET_QUERY.exec(entry);
    if (query) return `a ${query[1].toLowerCase()} parameter`;
  }
  return null;
}

/**
 * Credentials never sit in a document (it is exported, versioned and shown): a connection URL
 * with a password is refused, with the way out — the whole URL as a secret.
 */
export function checkCredentials(doc: PipelineDocument): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  doc.nodes.forEach((node, i) => {
    const def = getKind(node.kind);
    if (!def) return;
    for (const param of secretParams(def)) {
      const value = (node.params as Record<string, unknown>)[param];
      if (typeof value !== 'string') continue;
      const what = inlineCredential(value);
      if (!what) continue;
      const name = `${node.id.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_${param.toUpperCase()}`.replace(/^[^A-Z_]/, '_$&');
      issues.push({
        code: 'credentials_in_url', nodeId: node.id, path: formatPath(['nodes', i, 'params', param]),
        message: `The ${param} holds ${what}: a document never holds credentials (it is exported and shown). ` +
          `Write { "secret": "${name}" } here instead and give the server the whole ${param} as the secret ${name} ` +
          `(the environment variable EDDY_SECRET_${name}, or "${name}" in secrets.json in the data folder)`,
      });
    }
  });
  return issues;
}
