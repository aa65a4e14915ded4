import ELK from 'elkjs/lib/elk.bundled.js';
import { useEditor } from '../state/editor-store';
import { notifyError } from '../state/notice-store';

const elk = new ELK();
const WIDTH = 190;
const HEIGHT = 80;

/** Auto-layout with ELK's layered algorithm (left to right, as data flows), as one undo step. */
export async function autoLayout(): Promise<void> {
  const { doc } = useEditor.getState();
  if (!doc.nodes.length) return;
  try {
    const graph = await elk.layout({
      id: 'root',
      layoutOptions: {
        'elk.algorithm': 'layered', 'elk.direction': 'RIGHT',
        'elk.layered.spacing.nodeNodeBetweenLayers': '70', 'elk.spacing.nodeNode': '40',
      },
      children: doc.nodes.map((n) => ({ id: n.id, width: WIDTH, height: HEIGHT })),
      edges: doc.edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
    });
    const at = new Map((graph.children ?? []).map((c) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]));
    useEditor.getState().change((d) => ({ ...d, nodes: d.nodes.map((n) => ({ ...n, ui: at.get(n.id) ?? n.ui })) }));
  } catch (err) {
    notifyError(err);
  }
}
