/** Display formats shared by the drawer, the menus and the inspector. Raw values stay available on hover. */

/** "3 min ago", "2 h ago", "5 Mar" — for lists where the exact time is on hover. */
export function ago(iso: string, now = Date.now()): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const s = Math.round(ms / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: s > 300 * 86_400 ? 'numeric' : undefined });
}

/** A local date and time to the second, ISO-like ("2026-03-05 14:02:11"). */
export function localTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const TIME_COLUMN = /(^|_)(ts|time|timestamp|at|start|end|date|watermark)$|^(ts|time|timestamp)_|_time_|eventtime/i;
/** Epoch milliseconds between 2001 and 2286: a number here in a time column is a time. */
const isEpochMs = (n: number) => Number.isInteger(n) && n >= 1e12 && n < 1e13;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** A time to the millisecond, in local time: "2026-03-05 14:02:11.250" (the date dropped when it is today). */
export function timeOfDay(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const today = new Date(now).toDateString() === d.toDateString();
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  return today ? clock : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock}`;
}

/** A float rounded for reading: at most 3 decimals, or 3 significant digits below 1. */
export function roundNumber(n: number): string {
  if (Number.isInteger(n) || !Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  const digits = abs >= 1 ? 3 : Math.min(10, 2 - Math.floor(Math.log10(abs)));
  return String(Number(n.toFixed(digits)));
}

/** A state key or similar "1796191480000|DE": its epoch-ms parts as times. */
export function formatKey(key: string): string {
  return key.split('|').map((part) => (/^\d{13}$/.test(part) ? timeOfDay(Number(part)) : part)).join(' | ');
}

/** How a cell shows, and the raw value for its hover title when the two differ. */
export function formatCell(v: unknown, column = ''): { text: string; raw?: string } {
  if (v === null || v === undefined) return { text: '∅' };
  if (typeof v === 'number') {
    if (isEpochMs(v) && TIME_COLUMN.test(column)) return { text: timeOfDay(v), raw: String(v) };
    const text = roundNumber(v);
    return text === String(v) ? { text } : { text, raw: String(v) };
  }
  if (typeof v === 'string') {
    if (/^\d{13}(\|.*)?$|\|\d{13}(\||$)/.test(v)) return { text: formatKey(v), raw: v };
    return { text: v };
  }
  return { text: JSON.stringify(v) };
}

/** A duration for lags and delays: "350 ms", "4.2 s", "12 min", "3.5 h", "335 d"; `compact` drops the spaces ("4.2s"). */
export function formatDuration(ms: number, compact = false): string {
  const a = Math.abs(ms);
  const sign = ms < 0 ? '−' : '';
  const sp = compact ? '' : ' ';
  if (a < 1000) return `${sign}${Math.round(a)}${sp}ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(1)}${sp}s`;
  if (a < 3_600_000) return `${sign}${Math.round(a / 60_000)}${sp}min`;
  if (a < 86_400_000) return `${sign}${(a / 3_600_000).toFixed(1)}${sp}h`;
  return `${sign}${(a / 86_400_000).toFixed(1)}${sp}d`;
}

/**
 * A node's watermark figure: the lag behind the wall clock while it is live-ish (under an
 * hour), else the watermark's own time — a replayed file's event time is months behind, and
 * "wm −335.2d" says nothing useful.
 */
export function watermarkFigure(watermark: number | null, lagMs: number | null): { text: string; title: string } | null {
  if (lagMs === null || watermark === null) return null;
  if (Math.abs(lagMs) < 3_600_000) return { text: `wm −${formatDuration(lagMs, true)}`, title: `event-time lag: now minus the watermark (${localTime(watermark)})` };
  // The clock time alone keeps the figure as short as the lag was (the node has little room); the date is on hover.
  const clock = new Date(watermark).toTimeString().slice(0, 8);
  return { text: `wm ${clock}`, title: `watermark ${localTime(watermark)}: event time is ${formatDuration(lagMs)} behind the wall clock (replayed or historical data)` };
}
