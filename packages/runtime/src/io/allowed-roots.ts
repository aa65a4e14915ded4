import { lstatSync, realpathSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { documentFiles, type PipelineDocument, type ValidationIssue } from '@eddy/shared';

/**
 * Where a pipeline may read and write files: the folder its relative paths resolve against
 * (the server's data folder, the pipeline file's folder on the command line) and the folders
 * the operator lists in EDDY_FILE_ROOTS (separated by the platform's path delimiter, `:` on
 * Unix). Nothing else: a document is untrusted input, and `/etc/passwd`, `/proc/self/environ`
 * or `../../.ssh` must not become rows, nor a sink's target.
 */
export interface FilePolicy {
  /** Relative paths resolve against this folder; it is always allowed. */
  baseDir: string;
  /** More allowed folders (default: EDDY_FILE_ROOTS). */
  roots?: readonly string[];
}

/** The folders of EDDY_FILE_ROOTS, absolute. */
export function fileRootsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.EDDY_FILE_ROOTS ?? '').split(delimiter).map((r) => r.trim()).filter(Boolean).map((r) => resolve(r));
}

/** Every allowed folder of a policy: the base folder first. */
export function allowedRoots(policy: FilePolicy): string[] {
  return [resolve(policy.baseDir), ...(policy.roots ?? fileRootsFromEnv())];
}

export type FileVerdict = { ok: true; path: string } | { ok: false; path: string; reason: string };

/**
 * Resolves `file` (relative to the base folder) and says whether it lies inside an allowed
 * folder once symbolic links are followed: the real path of its deepest existing ancestor,
 * plus the parts that do not exist yet (a sink's new file or folders). A dangling link is
 * refused (writing through it would create its target wherever it points).
 */
export function checkFile(file: string, policy: FilePolicy): FileVerdict {
  const path = resolve(policy.baseDir, file);
  if (file.includes('\0')) return { ok: false, path, reason: 'a path cannot contain a NUL character' };
  let real: string | null;
  try {
    real = realPathOf(path);
  } catch (err) {
    return { ok: false, path, reason: `'${file}' cannot be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  if (real === null) return { ok: false, path, reason: `'${file}' is a symbolic link to nothing` };
  const roots = allowedRoots(policy);
  if (roots.some((root) => inside(real, realPathOf(root) ?? root))) return { ok: true, path };
  const via = real !== path ? ` (it leads to ${real})` : '';
  return { ok: false, path, reason: `'${file}' is outside the folders Eddy may use${via}: ${roots.join(', ')}. Put the file there, or add its folder to EDDY_FILE_ROOTS` };
}

/** The allowed file's path, or an error naming it and the allowed folders (the runtime's check when it opens a file). */
export function requireAllowedFile(file: string, policy: FilePolicy): string {
  const verdict = checkFile(file, policy);
  if (!verdict.ok) throw new Error(verdict.reason);
  return verdict.path;
}

/** One validation error per file a document names outside the allowed folders (the node and the JSON path included). */
export function checkFilePaths(document: PipelineDocument, policy: FilePolicy): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const f of documentFiles(document)) {
    const verdict = checkFile(f.file, policy);
    if (!verdict.ok) issues.push({ code: 'path_not_allowed', nodeId: f.nodeId, path: f.path, message: verdict.reason });
  }
  return issues;
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real path of `path`: its deepest existing ancestor's real path plus the rest; null for a dangling link. */
function realPathOf(path: string): string | null {
  const rest: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(realpathSync(at), ...rest.reverse());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err;
      if (exists(at)) return null; // it is there (lstat) but cannot be followed: a dangling symbolic link
      const parent = dirname(at);
      if (parent === at) return path;
      rest.push(basename(at));
      at = parent;
    }
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
