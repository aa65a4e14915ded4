/** Where the address bar points: a stored pipeline (`/p/<id>`), a new unsaved one (`/new`), or the start (`/`). */
export type Route = { kind: 'pipeline'; id: string } | { kind: 'new' } | { kind: 'home' };

export function parseRoute(pathname: string): Route {
  const m = /^\/p\/([^/]+)\/?$/.exec(pathname);
  if (m) {
    try {
      return { kind: 'pipeline', id: decodeURIComponent(m[1]) };
    } catch {
      return { kind: 'home' }; // a malformed escape: start as from `/`
    }
  }
  return pathname === '/new' ? { kind: 'new' } : { kind: 'home' };
}

export const routePath = (pipelineId: string | null): string => (pipelineId ? `/p/${encodeURIComponent(pipelineId)}` : '/new');

/** How an action moves the address: a new history entry, replacing the current one, or not at all (back/forward did). */
export type HistoryMode = 'push' | 'replace' | 'none';

export function showRoute(pipelineId: string | null, mode: HistoryMode): void {
  if (mode === 'none') return;
  const path = routePath(pipelineId);
  if (window.location.pathname === path) return;
  if (mode === 'push') window.history.pushState(null, '', path);
  else window.history.replaceState(null, '', path);
}
