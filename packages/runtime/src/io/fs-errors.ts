import { relative } from 'node:path';

/**
 * A file-system error in words a user can act on: which file, and what happened to it
 * (`ENOENT` while a job runs means someone deleted or moved it). Paths are shown relative
 * to `baseDir` when inside it.
 */
export function describeFsError(err: unknown, baseDir: string): string {
  const e = err as NodeJS.ErrnoException;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string') return err instanceof Error ? err.message : String(err);
  const where = e.path ? shown(e.path, baseDir) : 'a file';
  switch (e.code) {
    case 'ENOENT': return `${where} no longer exists: it was deleted or moved while the pipeline ran`;
    case 'EACCES':
    case 'EPERM': return `no permission to use ${where}`;
    case 'ENOSPC': return `the disk is full (writing ${where})`;
    case 'EISDIR': return `${where} is a folder, not a file`;
    case 'ENOTDIR': return `a folder on the way to ${where} is a file`;
    default: return `${where}: ${e.message}`;
  }
}

function shown(path: string, baseDir: string): string {
  const rel = relative(baseDir, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
