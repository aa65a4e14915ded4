import { create } from 'zustand';

export const DRAWER_TABS = ['Live rows', 'Dashboard', 'Metrics', 'Preview', 'Tests', 'Watermarks', 'State', 'Checkpoints', 'Dead letters', 'Problems', 'Code', 'Flink SQL'] as const;
export type DrawerTab = (typeof DRAWER_TABS)[number];

/** Which drawer tab is open (an edge click opens the preview). */
export const useUi = create<{ tab: DrawerTab; setTab(tab: DrawerTab): void; templatesOpen: boolean; setTemplatesOpen(open: boolean): void }>((set) => ({
  tab: 'Live rows',
  setTab: (tab) => set({ tab }),
  templatesOpen: false,
  setTemplatesOpen: (templatesOpen) => set({ templatesOpen }),
}));

export const tabTestId = (t: string) => `tab-${t.toLowerCase().replace(/ /g, '-')}`;
