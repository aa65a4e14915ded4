import { useEffect } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { api, ApiError } from './api/client';
import { followHistory, openFromAddress, save } from './actions';
import { copySelection, paste } from './canvas/clipboard';
import { autoLayout } from './canvas/layout';
import { useEditor } from './state/editor-store';
import { notifyError, useNotices } from './state/notice-store';
import { TopBar } from './topbar/TopBar';
import { Palette } from './palette/Palette';
import { Canvas } from './canvas/Canvas';
import { Inspector } from './inspector/Inspector';
import { Drawer } from './drawer/Drawer';
import { PlanDialog } from './drawer/PlanDialog';
import { TemplatesDialog } from './topbar/TemplatesDialog';
import { TokenDialog } from './auth/TokenDialog';
import { Dialog } from './dialogs/Dialog';
import { HistoryDialog } from './history/HistoryDialog';
import { PreviewRunDialog } from './preview/PreviewRunDialog';

function Notices() {
  const notices = useNotices((s) => s.notices);
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} data-testid={`notice-${n.kind}`} onClick={() => useNotices.getState().dismiss(n.id)}>{n.text}</div>
      ))}
    </div>
  );
}

/** Keyboard shortcuts: undo/redo, copy/paste, select all, save, layout (Delete/Backspace are React Flow's). */
function useShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Saving works from anywhere, a text field included; the rest belongs to the field with focus.
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void save();
        return;
      }
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, .monaco-editor')) return;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) useEditor.getState().redo();
        else useEditor.getState().undo();
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        useEditor.getState().redo();
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
        if (copySelection()) e.preventDefault();
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'v') {
        if (paste()) e.preventDefault();
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
        e.preventDefault();
        const { doc } = useEditor.getState();
        useEditor.getState().select(doc.nodes.map((n) => n.id));
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        void autoLayout();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function App() {
  useShortcuts();
  useEffect(() => {
    void (async () => {
      try {
        useEditor.getState().setCatalog(await api.catalog());
        await openFromAddress('replace');
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 401)) notifyError(err); // the token dialog says it
      }
    })();
    return followHistory();
  }, []);
  return (
    <ReactFlowProvider>
      <div className="app">
        <TopBar />
        <div className="workspace">
          <Palette />
          <Canvas />
          <Inspector />
        </div>
        <Drawer />
        <Notices />
        <PlanDialog />
        <TemplatesDialog />
        <TokenDialog />
        <HistoryDialog />
        <PreviewRunDialog />
        <Dialog />
      </div>
    </ReactFlowProvider>
  );
}
