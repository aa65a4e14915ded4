import { beforeEach, describe, expect, it } from 'vitest';
import { ask, confirm, confirmRequest, confirmWith, prompt, refusal, useDialog } from './dialog-store';

const answer = (choice: string) => useDialog.getState().choose(choice);
const open = () => useDialog.getState().request;

describe('the dialog store', () => {
  beforeEach(() => { const r = open(); if (r) answer(r.cancel); });

  it('ask resolves with the chosen id and closes the dialog', async () => {
    const asked = ask({ title: 'Unsaved changes', choices: [{ id: 'cancel', label: 'Keep editing' }, { id: 'discard', label: 'Discard' }], cancel: 'cancel' });
    expect(open()?.title).toBe('Unsaved changes');
    answer('discard');
    await expect(asked).resolves.toBe('discard');
    expect(open()).toBeNull();
  });

  it('a newer question cancels an unanswered one', async () => {
    const first = ask({ title: 'First', choices: [{ id: 'no', label: 'No' }, { id: 'yes', label: 'Yes' }], cancel: 'no' });
    const second = confirm({ title: 'Second', confirm: 'Delete', danger: true });
    await expect(first).resolves.toBe('no');
    expect(open()?.title).toBe('Second');
    answer('ok');
    await expect(second).resolves.toBe(true);
  });

  it('confirm maps to Cancel, the alternative and the confirm button, focused, under the confirm test ids', () => {
    const req = confirmRequest({ title: 'Deploy', confirm: 'Open it and deploy', alternative: 'Create a new one', danger: true });
    expect(req.choices.map((c) => [c.id, c.label, c.kind])).toEqual([
      ['cancel', 'Cancel', undefined], ['alternative', 'Create a new one', undefined], ['ok', 'Open it and deploy', 'danger'],
    ]);
    expect([req.cancel, req.focus, req.testId]).toEqual(['cancel', 'ok', 'confirm']);
    expect(confirmRequest({ title: 'Restore', confirm: 'Restore' }).choices.map((c) => c.id)).toEqual(['cancel', 'ok']);
  });

  it('confirmWith reports the choice and the checkbox as the user left it', async () => {
    const asked = confirmWith({ title: 'Deploy', confirm: 'Deploy', alternative: 'New', option: { label: 'Stop the others', checked: true } });
    expect(useDialog.getState().option).toBe(true);
    useDialog.getState().setOption(false);
    answer('alternative');
    await expect(asked).resolves.toEqual({ choice: 'alternative', option: false });
    const cancelled = confirmWith({ title: 'Deploy', confirm: 'Deploy' });
    answer('cancel');
    await expect(cancelled).resolves.toEqual({ choice: 'cancel', option: false });
  });

  it('prompt returns the typed value, refuses one its check rejects, and gives null when cancelled', async () => {
    const typed = prompt({ title: 'Rename', label: 'Name', value: 'old', check: (v) => (v.trim() ? null : 'A name is needed') });
    expect(useDialog.getState().value).toBe('old');
    useDialog.getState().setValue('  ');
    answer('ok');
    expect(useDialog.getState().error).toBe('A name is needed');
    expect(open()?.title).toBe('Rename'); // still asking
    useDialog.getState().setValue('new');
    expect(useDialog.getState().error).toBeNull();
    answer('ok');
    await expect(typed).resolves.toBe('new');

    const dropped = prompt({ title: 'Rename', label: 'Name', check: () => 'never valid' });
    answer('cancel'); // cancelling never checks
    await expect(dropped).resolves.toBeNull();
  });

  it('refusal checks only non-cancel answers of requests with a check', () => {
    const req = { title: 't', choices: [], cancel: 'cancel', input: { label: 'x', value: '', check: (v: string) => (v ? null : 'empty') } };
    expect(refusal(req, 'ok', '')).toBe('empty');
    expect(refusal(req, 'ok', 'a')).toBeNull();
    expect(refusal(req, 'cancel', '')).toBeNull();
    expect(refusal({ title: 't', choices: [], cancel: 'c' }, 'ok', '')).toBeNull();
  });
});
