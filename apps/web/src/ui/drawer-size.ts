import { create } from 'zustand';

const KEY = 'eddy.drawerHeight';
export const DRAWER_MIN = 120;
const DEFAULT = 260;

/** The drawer may take at most this share of the window's height. */
const maxHeight = () => Math.max(DRAWER_MIN, Math.round(window.innerHeight * 0.75));
export const clampDrawer = (h: number) => Math.min(maxHeight(), Math.max(DRAWER_MIN, Math.round(h)));

function stored(): number {
  const n = Number(localStorage.getItem(KEY));
  return Number.isFinite(n) && n > 0 ? clampDrawer(n) : DEFAULT;
}

/** The bottom drawer's height: dragged by its top edge, remembered in localStorage across reloads. */
export const useDrawerSize = create<{ height: number; setHeight(h: number, persist?: boolean): void }>((set) => ({
  height: stored(),
  setHeight: (h, persist = false) => {
    const height = clampDrawer(h);
    set({ height });
    if (persist) localStorage.setItem(KEY, String(height));
  },
}));
