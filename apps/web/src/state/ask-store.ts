import { create } from 'zustand';

/** One answer offered by a question; `cancel` is what Esc and the backdrop choose. */
export interface AskChoice<T extends string = string> { id: T; label: string; kind?: 'primary' | 'danger' }
export interface AskRequest<T extends string = string> { title: string; message: string; choices: AskChoice<T>[]; cancel: T }

interface AskState {
  /** The question waiting for an answer (the dialog is open while set). */
  request: AskRequest | null;
  answer: ((choice: string) => void) | null;
  ask<T extends string>(request: AskRequest<T>): Promise<T>;
  choose(choice: string): void;
}

/** The app's own question dialog (instead of the browser's confirm()): one at a time, answered by the user. */
export const useAsk = create<AskState>((set, get) => ({
  request: null,
  answer: null,
  ask: <T extends string>(request: AskRequest<T>) => new Promise<T>((resolve) => {
    get().answer?.(get().request?.cancel ?? ''); // a newer question replaces an unanswered one
    set({ request, answer: resolve as (choice: string) => void });
  }),
  choose: (choice) => {
    const answer = get().answer;
    set({ request: null, answer: null });
    answer?.(choice);
  },
}));

export const ask = <T extends string>(request: AskRequest<T>): Promise<T> => useAsk.getState().ask(request);
