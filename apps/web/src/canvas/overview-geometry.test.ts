import { describe, expect, it } from 'vitest';
import { boundsOf, maskPath, overviewBox, rectsPath, viewRect } from './overview-geometry';

describe('overview geometry', () => {
  it('turns the transform into the part of the flow in view', () => {
    expect(viewRect([-100, -50, 2], 800, 600)).toEqual({ x: 50, y: 25, width: 400, height: 300 });
  });

  it('bounds all rectangles, and none when there are none', () => {
    expect(boundsOf([{ x: 0, y: 10, width: 100, height: 20 }, { x: 300, y: -5, width: 50, height: 10 }]))
      .toEqual({ x: 0, y: -5, width: 350, height: 35 });
    expect(boundsOf([])).toBeNull();
  });

  it('draws every node as one path of rectangles', () => {
    expect(rectsPath([{ x: 0, y: 0, width: 10, height: 5 }, { x: 20, y: 0, width: 10, height: 5 }])).toBe('M0,0h10v5h-10zM20,0h10v5h-10z');
  });

  it('frames the nodes and the view in the map proportions, centred, with a margin', () => {
    const nodes = { x: 0, y: 0, width: 2000, height: 600 };
    const view = { x: 100, y: 100, width: 400, height: 300 };
    const box = overviewBox(nodes, view, 150, 90);
    // 150 × 90 map pixels plus a 5-pixel margin on each side
    expect(box.width / box.scale).toBeCloseTo(160);
    expect(box.height / box.scale).toBeCloseTo(100);
    for (const r of [nodes, view]) {
      expect(box.x).toBeLessThan(r.x);
      expect(box.y).toBeLessThan(r.y);
      expect(box.x + box.width).toBeGreaterThan(r.x + r.width);
      expect(box.y + box.height).toBeGreaterThan(r.y + r.height);
    }
    expect(box.x + box.width / 2).toBeCloseTo(1000); // centred on the nodes (the view lies inside them)
    expect(maskPath(box, view)).toContain('M100,100h400v300h-400z');
  });

  it('frames the view alone when nothing is measured yet', () => {
    const box = overviewBox(null, { x: 0, y: 0, width: 150, height: 90 }, 150, 90);
    expect(box.scale).toBe(1);
    expect(box.x).toBe(-5);
  });
});
