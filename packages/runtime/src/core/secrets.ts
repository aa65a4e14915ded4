/** Resolves a `{ "secret": "NAME" }` param from the environment at deploy time; plain strings pass through. */
export function resolveSecret(value: string | { secret: string }, param: string): string {
  if (typeof value === 'string') return value;
  const v = process.env[value.secret];
  if (v === undefined || v === '') throw new Error(`Param '${param}' refers to secret ${value.secret}, but the environment variable ${value.secret} is not set`);
  return v;
}
