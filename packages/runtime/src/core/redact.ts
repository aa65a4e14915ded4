/**
 * Secret values this process has resolved, so that no error text, dead letter or log line
 * carries one: connectors' libraries put URLs (with their passwords or tokens) into error
 * messages, and Eddy's own messages name the endpoint that failed. Every text a job reports
 * passes through `redactSecrets`; a value shows as `[secret NAME]`.
 */
const known = new Map<string, string>();

/** Remembers a resolved secret (and, for a URL, its password and credentials on their own). */
export function registerSecretValue(name: string, value: string): void {
  if (!value) return;
  known.set(value, name);
  let url: URL | null = null;
  try { url = new URL(value); } catch { /* not a URL */ }
  if (!url) return;
  for (const part of [url.password, safeDecode(url.password), url.href, url.username && url.password ? `${url.username}:${url.password}` : '']) {
    if (part && part.length >= 4 && !known.has(part)) known.set(part, name);
  }
}

/** The text with every known secret value replaced by `[secret NAME]` (longest values first). */
export function redactSecrets(text: string): string {
  if (!known.size || !text) return text;
  let out = text;
  for (const [value, name] of [...known].sort((a, b) => b[0].length - a[0].length)) {
    if (out.includes(value)) out = out.split(value).join(`[secret ${name}]`);
  }
  return out;
}

/** An error whose message carries no secret (the same error when there was none). */
export function redactError<E extends Error | undefined>(err: E): E {
  if (!err) return err;
  const message = redactSecrets(err.message);
  if (message === err.message) return err;
  const clean = new Error(message);
  clean.name = err.name;
  return clean as E;
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
