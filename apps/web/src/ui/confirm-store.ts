import { create } from 'zustand';

export interface ConfirmRequest {
  title: string;
  body?: string;
  confirm: string;
  /** A third choice besides confirm and cancel (e.g. "Open it instead"). */
  alternative?: string;
  danger?: boolean;
}
export type ConfirmChoice = 'confirm' | 'alternative' | 'cancel';

interface ConfirmState {
  request: (ConfirmRequest & { resolve(choice: ConfirmChoice): void }) | null;
}

/** The one open confirmation (the app's own dialog, in place of window.confirm). */
export const useConfirm = create<ConfirmState>(() => ({ request: null }));

/** Asks and resolves with the choice; a second question cancels the first. */
export function askDialog(req: ConfirmRequest): Promise<ConfirmChoice> {
  useConfirm.getState().request?.resolve('cancel');
  return new Promise((resolve) => {
    useConfirm.setState({ request: { ...req, resolve: (choice) => { useConfirm.setState({ request: null }); resolve(choice); } } });
  });
}

export const confirmDialog = async (req: ConfirmRequest): Promise<boolean> => (await askDialog(req)) === 'confirm';
