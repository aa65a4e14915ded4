import { memo, useEffect, useMemo, useRef, type CSSProperties } from 'react';
import { Panel, useStore, useStoreApi, type ReactFlowState } from '@xyflow/react';
import { XYMinimap, type XYMinimapInstance } from '@xyflow/system';
import { boundsOf, maskPath, overviewBox, rectsPath, viewRect, type Rect } from './overview-geometry';
import type { EddyFlowNode } from './EddyNode';

const MAP_WIDTH = 150;
const MAP_HEIGHT = 90;
const PANEL_STYLE = { width: MAP_WIDTH, height: MAP_HEIGHT, '--xy-minimap-mask-background-color-props': 'rgba(226, 232, 240, 0.5)' } as CSSProperties;

// A pan changes the transform only: this selector is the one thing here that runs on each pan step.
const selectView = (s: ReactFlowState) => viewRect(s.transform, s.width, s.height);
const sameRect = (a: Rect, b: Rect) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** Every measured node drawn as one path: re-rendered only when nodes move or are measured. */
const NodesPath = memo(function NodesPath({ rects }: { rects: Rect[] }) {
  return <path className="overview-nodes" d={rectsPath(rects)} style={{ fill: '#94a3b8' }} />;
});

/**
 * The minimap of a large canvas. React Flow's own draws each node as its own element and
 * subscribes each to the flow's store, so every pan step re-ran 200 selectors and laid out
 * and repainted 200 rectangles; this one draws the nodes as one path and follows only the
 * view. It pans and zooms the canvas like React Flow's (the same XYMinimap underneath).
 */
export function OverviewMap({ nodes }: { nodes: EddyFlowNode[] }) {
  const store = useStoreApi();
  const svg = useRef<SVGSVGElement>(null);
  const minimap = useRef<XYMinimapInstance>(null);
  const view = useStore(selectView, sameRect);
  const panZoom = useStore((s) => s.panZoom);
  const translateExtent = useStore((s) => s.translateExtent);
  const flowWidth = useStore((s) => s.width);
  const flowHeight = useStore((s) => s.height);
  const rects = useMemo(() => nodes.flatMap((n) => (n.measured?.width && n.measured.height
    ? [{ x: n.position.x, y: n.position.y, width: n.measured.width, height: n.measured.height }] : [])), [nodes]);
  const nodeBounds = useMemo(() => boundsOf(rects), [rects]);
  const box = overviewBox(nodeBounds, view, MAP_WIDTH, MAP_HEIGHT);
  const scale = useRef(box.scale);
  scale.current = box.scale;

  useEffect(() => {
    if (!svg.current || !panZoom) return;
    const instance = XYMinimap({ domNode: svg.current, panZoom, getTransform: () => store.getState().transform, getViewScale: () => scale.current });
    minimap.current = instance;
    return () => { instance.destroy(); minimap.current = null; };
  }, [panZoom, store]);
  useEffect(() => {
    minimap.current?.update({ translateExtent, width: flowWidth, height: flowHeight, inversePan: false, pannable: true, zoomStep: 1, zoomable: true });
  }, [panZoom, translateExtent, flowWidth, flowHeight]);

  return (
    <Panel position="top-right" className="react-flow__minimap" style={PANEL_STYLE} data-testid="overview-map" data-nodes={rects.length}>
      <svg ref={svg} width={MAP_WIDTH} height={MAP_HEIGHT} viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`} className="react-flow__minimap-svg" role="img" aria-label="Overview of the canvas">
        <NodesPath rects={rects} />
        <path className="react-flow__minimap-mask" d={maskPath(box, view)} fillRule="evenodd" pointerEvents="none" />
      </svg>
    </Panel>
  );
}
