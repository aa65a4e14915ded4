import { create } from 'zustand';

/** One answer offered by a dialog. */
export interface DialogChoice<T extends string = string> { id: T; label: string; kind?: 'primary' | 'danger' }

/** A question in the app's own dialog (never the browser's confirm() or prompt()). */
export interface DialogRequest<T extends string = string> {
  title: string;
  message?: string;
  /** The buttons, left to right. */
  choices: DialogChoice<T>[];
  /** What Esc and the backdrop answer. */
  cancel: T;
  /** The button focused at open, so Enter takes it; the cancel one unless said. */
  focus?: T;
  /** A checkbox asked along (e.g. "Stop the 2 running pipelines first"). */
  option?: { label: string; checked: boolean };
  /** A text field (prompt): `check` says why a value is refused, or null. */
  input?: { label: string; value: string; placeholder?: string; check?: (value: string) => string | null };
  /** Names the test ids: `<testId>-dialog`, `<testId>-<choice id>`, `<testId>-option`, `<testId>-input`. */
  testId?: string;
}

export interface DialogAnswer<T extends string = string> { choice: T; option: boolean; value: string }

interface DialogState {
  request: DialogRequest | null;
  option: boolean;
  value: string;
  /** Why the typed value is refused (shown once the user tried to answer with it). */
  error: string | null;
  resolve: ((answer: DialogAnswer) => void) | null;
  open<T extends string>(request: DialogRequest<T>): Promise<DialogAnswer<T>>;
  /** Answers with a choice; a non-cancel answer with a refused value keeps the dialog open. */
  choose(choice: string): void;
  setOption(option: boolean): void;
  setValue(value: string): void;
}

/** Why `value` is refused for this request, or null (the cancel answer never checks). */
export function refusal(request: DialogRequest, choice: string, value: string): string | null {
  if (choice === request.cancel || !request.input?.check) return null;
  return request.input.check(value);
}

/** The one open dialog of the app: one question at a time, a newer one cancels an unanswered one. */
export const useDialog = create<DialogState>((set, get) => ({
  request: null,
  option: false,
  value: '',
  error: null,
  resolve: null,
  open: <T extends string>(request: DialogRequest<T>) => {
    const before = get();
    if (before.request) before.choose(before.request.cancel);
    return new Promise<DialogAnswer<T>>((resolve) => set({
      request: request as unknown as DialogRequest,
      option: request.option?.checked ?? false,
      value: request.input?.value ?? '',
      error: null,
      resolve: resolve as (answer: DialogAnswer) => void,
    }));
  },
  choose: (choice) => {
    const { request, option, value, resolve } = get();
    if (!request) return;
    const error = refusal(request, choice, value);
    if (error) return set({ error });
    set({ request: null, resolve: null, error: null });
    resolve?.({ choice, option, value });
  },
  setOption: (option) => set({ option }),
  setValue: (value) => set({ value, error: null }),
}));

/** Asks and resolves with the chosen id. */
export const ask = async <T extends string>(request: DialogRequest<T>): Promise<T> => (await useDialog.getState().open(request)).choice;

/** A yes/no question: Enter confirms (focus starts on the confirm button), Esc cancels. */
export interface ConfirmRequest {
  title: string;
  body?: string;
  confirm: string;
  /** A third choice besides confirm and cancel (e.g. "Create a new one"). */
  alternative?: string;
  danger?: boolean;
  option?: { label: string; checked: boolean };
}
export type ConfirmChoice = 'confirm' | 'alternative' | 'cancel';

/** A confirmation as a dialog request: Cancel, the alternative, then the confirm button (ids `cancel`, `alternative`, `ok`). */
export function confirmRequest(req: ConfirmRequest): DialogRequest<'cancel' | 'alternative' | 'ok'> {
  return {
    title: req.title, message: req.body, option: req.option, testId: 'confirm', cancel: 'cancel', focus: 'ok',
    choices: [
      { id: 'cancel', label: 'Cancel' },
      ...(req.alternative ? [{ id: 'alternative' as const, label: req.alternative }] : []),
      { id: 'ok', label: req.confirm, kind: req.danger ? 'danger' : 'primary' },
    ],
  };
}

/** Asks a confirmation with its third choice and checkbox. */
export async function confirmWith(req: ConfirmRequest): Promise<{ choice: ConfirmChoice; option: boolean }> {
  const a = await useDialog.getState().open(confirmRequest(req));
  return { choice: a.choice === 'ok' ? 'confirm' : a.choice, option: a.option };
}

/** True when the user confirmed. */
export const confirm = async (req: ConfirmRequest): Promise<boolean> => (await confirmWith(req)).choice === 'confirm';

/** Asks for a text: the typed value, or null when cancelled; `check` refuses a value with a reason. */
export async function prompt(req: { title: string; message?: string; label: string; value?: string; placeholder?: string; ok?: string; check?: (value: string) => string | null }): Promise<string | null> {
  const a = await useDialog.getState().open({
    title: req.title, message: req.message, testId: 'prompt', cancel: 'cancel', focus: 'ok',
    input: { label: req.label, value: req.value ?? '', placeholder: req.placeholder, check: req.check },
    choices: [{ id: 'cancel', label: 'Cancel' }, { id: 'ok', label: req.ok ?? 'OK', kind: 'primary' }],
  });
  return a.choice === 'ok' ? a.value : null;
}
