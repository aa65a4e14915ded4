import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ValidationIssue } from '@eddy/shared';

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

/** A wrong command line: exit code 2, with the verb's usage. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

/**
 * One verb of the `eddy` command: its options (node:util parseArgs), its help text, and what it
 * does. A new verb is one entry in the table in cli.ts.
 */
export interface Verb {
  /** One line for `eddy --help`. */
  summary: string;
  /** `eddy <verb> --help`: the synopsis and each option. */
  help: string;
  options: Options;
  /** How many positional arguments it takes, and what they are called in errors. */
  positionals: { min: number; max: number; what: string };
  run(positionals: string[], values: Values, io: CliIO): Promise<number>;
}

/** Parses a verb's arguments; --help is every verb's. Unknown options and missing values are UsageErrors. */
export function parseVerbArgs(verbName: string, verb: Verb, argv: string[]): { positionals: string[]; values: Values; help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...verb.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const values = parsed.values as Values;
  if (values.help) return { positionals: parsed.positionals, values, help: true };
  const n = parsed.positionals.length;
  if (n < verb.positionals.min) throw new UsageError(`eddy ${verbName} needs ${verb.positionals.what}`);
  if (n > verb.positionals.max) throw new UsageError(`eddy ${verbName}: unexpected argument '${parsed.positionals[verb.positionals.max]}'`);
  return { positionals: parsed.positionals, values, help: false };
}

/** Checks that an option is one of the allowed values. */
export function oneOf<T extends string>(name: string, value: string | boolean | undefined, allowed: readonly T[], fallback: T): T {
  const v = value ?? fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} is ${allowed.join(' or ')}, not '${String(v)}'`);
  }
  return v as T;
}

/** Reads and parses a pipeline file; undefined (after a message) for an unreadable file or bad JSON: exit code 2. */
export function readDocument(file: string, io: CliIO): unknown | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    io.err(`eddy: cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    io.err(`eddy: ${file} is not valid JSON: ${(err as Error).message}`);
    return undefined;
  }
}

export const formatIssue = (e: ValidationIssue) => `${e.nodeId ? `[${e.nodeId}] ` : ''}${e.path || '(document)'}: ${e.message}`;

/** The data folder: --data, else EDDY_DATA, else ./data (as `eddy serve`). */
export const dataDirOf = (values: Values) => resolve(typeof values.data === 'string' ? values.data : process.env.EDDY_DATA ?? './data');
