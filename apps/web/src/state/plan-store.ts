import { create } from 'zustand';
import type { RestorePlan } from '@eddy/shared';

export type PlanChoice = 'keep' | 'fresh' | 'cancel';

interface PlanState {
  /** The plan waiting for the user's answer (the dialog is open while set). */
  plan: RestorePlan | null;
  answer: ((choice: PlanChoice) => void) | null;
  ask(plan: RestorePlan): Promise<PlanChoice>;
  choose(choice: PlanChoice): void;
}

/** The redeploy plan dialog: what a deploy keeps, resets and drops, answered by the user. */
export const usePlan = create<PlanState>((set, get) => ({
  plan: null,
  answer: null,
  ask: (plan) => new Promise<PlanChoice>((resolve) => set({ plan, answer: resolve })),
  choose: (choice) => {
    get().answer?.(choice);
    set({ plan: null, answer: null });
  },
}));

/** Ask only when state would be lost: some node is reset or dropped while others keep theirs. */
export const needsConfirmation = (plan: RestorePlan, running: boolean): boolean =>
  (plan.checkpointId !== null || running) && plan.nodes.some((n) => n.action !== 'kept');
