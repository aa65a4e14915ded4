import ELK from 'elkjs/lib/elk.bundled.js';
import { useEditor } from '../state/editor-store';
import { notifyError } from '../state/notice-store';
import { NODE_MAX_HEIGHT, NODE_WIDTH } from './EddyNode';

const elk = new ELK();

/** Auto-layout with ELK's layered algorithm (left to right, as data flows), as one undo step. */
export async function autoLayout(): Promise<void> {
  const { doc } = useEditor.getState();
  if (!doc.nodes.length) return;
  try {
    const graph = await elk.layout({
      id: 'root',
      layoutOptions: {
        'elk.algorithm': 'layered', 'elk.direction': 'RIGHT',
        // Room between layers for an edge's labels (guarantee, port, rate) between two nodes.
        'elk.layered.spacing.nodeNodeBetweenLayers': '90', 'elk.spacing.nodeNode': '36',
      },
      // Every node as big as it gets while running (figures included): nothing overlaps once figures appear.
      children: doc.nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_MAX_HEIGHT })),
      edges: doc.edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
    });
    const at = new Map((graph.children ?? []).map((c) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]));
    useEditor.getState().change((d) => ({ ...d, nodes: d.nodes.map((n) => ({ ...n, ui: at.get(n.id) ?? n.ui })) }));
  } catch (err) {
    notifyError(err);
  }
}
