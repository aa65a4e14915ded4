import { create } from 'zustand';

export interface ConfirmRequest {
  title: string;
  body?: string;
  confirm: string;
  /** A third choice besides confirm and cancel (e.g. "Open it instead"). */
  alternative?: string;
  danger?: boolean;
  /** A checkbox asked along (e.g. "Stop the 2 running pipelines"). */
  option?: { label: string; checked: boolean };
}
export type ConfirmChoice = 'confirm' | 'alternative' | 'cancel';

export interface ConfirmAnswer { choice: ConfirmChoice; option: boolean }

interface ConfirmState {
  request: (ConfirmRequest & { resolve(choice: ConfirmChoice): void }) | null;
  option: boolean;
}

/** The one open confirmation (the app's own dialog, in place of window.confirm). */
export const useConfirm = create<ConfirmState>(() => ({ request: null, option: false }));

/** Asks and resolves with the choice (and the option's box); a second question cancels the first. */
export function askDialog(req: ConfirmRequest): Promise<ConfirmAnswer> {
  useConfirm.getState().request?.resolve('cancel');
  return new Promise((resolve) => {
    useConfirm.setState({
      option: req.option?.checked ?? false,
      request: { ...req, resolve: (choice) => { const option = useConfirm.getState().option; useConfirm.setState({ request: null }); resolve({ choice, option }); } },
    });
  });
}

export const confirmDialog = async (req: ConfirmRequest): Promise<boolean> => (await askDialog(req)).choice === 'confirm';
