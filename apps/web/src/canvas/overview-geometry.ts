/** A rectangle in flow coordinates. */
export interface Rect { x: number; y: number; width: number; height: number }

/** What part of the flow the canvas shows: React Flow's transform [x, y, zoom] over the canvas size. */
export const viewRect = ([tx, ty, zoom]: readonly [number, number, number], width: number, height: number): Rect =>
  ({ x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom });

/** The smallest rectangle holding all of them (none: null). */
export function boundsOf(rects: Rect[]): Rect | null {
  if (!rects.length) return null;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of rects) {
    x0 = Math.min(x0, r.x); y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.width); y1 = Math.max(y1, r.y + r.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** All the rectangles as one SVG path: one element to draw, whatever the number of nodes. */
export const rectsPath = (rects: Rect[]): string =>
  rects.map((r) => `M${r.x},${r.y}h${r.width}v${r.height}h${-r.width}z`).join('');

/**
 * The overview's view box: the nodes and the view, centred in a box of the map's proportions
 * with a margin, as React Flow's own minimap frames them. `scale` is flow units per map pixel.
 */
export function overviewBox(nodes: Rect | null, view: Rect, mapWidth: number, mapHeight: number, margin = 5): Rect & { scale: number } {
  const all = boundsOf(nodes ? [nodes, view] : [view])!;
  const scale = Math.max(all.width / mapWidth, all.height / mapHeight);
  const [w, h, offset] = [scale * mapWidth, scale * mapHeight, margin * scale];
  return { x: all.x - (w - all.width) / 2 - offset, y: all.y - (h - all.height) / 2 - offset, width: w + offset * 2, height: h + offset * 2, scale };
}

/** The mask: the whole box with the view cut out (even-odd fill). */
export const maskPath = (box: Rect, view: Rect): string =>
  `M${box.x},${box.y}h${box.width}v${box.height}h${-box.width}z M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`;
