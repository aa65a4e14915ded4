import { useEffect, type PointerEvent } from 'react';
import { useDrawerSize } from '../ui/drawer-size';

/** The drawer's top edge: drag to resize (the size is remembered); the app grid reads it as --drawer-height. */
export function DrawerResizer() {
  const height = useDrawerSize((s) => s.height);
  useEffect(() => { document.documentElement.style.setProperty('--drawer-height', `${height}px`); }, [height]);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const startY = e.clientY;
    const start = useDrawerSize.getState().height;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => useDrawerSize.getState().setHeight(start + startY - ev.clientY);
    const up = (ev: globalThis.PointerEvent) => {
      useDrawerSize.getState().setHeight(start + startY - ev.clientY, true);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };
  return <div className="drawer-resizer" role="separator" aria-orientation="horizontal" aria-label="Resize the bottom panel"
    title="Drag to resize" data-testid="drawer-resizer" onPointerDown={onPointerDown}
    onDoubleClick={() => useDrawerSize.getState().setHeight(260, true)} />;
}
