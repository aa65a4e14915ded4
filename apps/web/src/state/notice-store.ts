import { create } from 'zustand';

export interface Notice { id: number; kind: 'error' | 'info'; text: string }

/** Messages for the user: API errors, saved, deployed… shown as toasts. */
export const useNotices = create<{ notices: Notice[]; push(kind: Notice['kind'], text: string): void; dismiss(id: number): void }>((set) => ({
  notices: [],
  push: (kind, text) => {
    const id = Date.now() + Math.random();
    set((s) => ({ notices: [...s.notices.slice(-3), { id, kind, text }] }));
    setTimeout(() => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })), kind === 'error' ? 8000 : 3000);
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));

export const notifyError = (err: unknown) => useNotices.getState().push('error', err instanceof Error ? err.message : String(err));
export const notifyInfo = (text: string) => useNotices.getState().push('info', text);
