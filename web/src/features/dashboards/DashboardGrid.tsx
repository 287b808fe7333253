import ReactGridLayout, { useContainerWidth, type Layout } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';
import 'react-resizable/css/styles.css';
import type { ReactNode } from 'react';
import type { DashboardTile } from '../../api/insights';
import { GRID_COLUMNS, tilesToLayout, type GridItem } from './model';
import classes from './dashboards.module.css';

import { MARGIN, ROW_HEIGHT } from './gridSize';
/** Below this width the tiles stack in one column, in the grid's reading order, and stay put. */
const STACK_BELOW = 720;

/**
 * The dashboard's tiles on a 12-column grid: dragged by their header, resized from the corner.
 * `onLayout` gets the grid after a drag or a resize stops.
 */
export default function DashboardGrid({
  tiles,
  render,
  onLayout,
}: {
  tiles: DashboardTile[];
  render: (tile: DashboardTile, item: GridItem) => ReactNode;
  onLayout: (layout: readonly GridItem[]) => void;
}) {
  const { width, containerRef, mounted } = useContainerWidth();
  const layout = tilesToLayout(tiles);
  const byId = new Map(tiles.map((t) => [String(t.id), t]));

  if (mounted && width < STACK_BELOW) {
    const ordered = [...layout].sort((a, b) => a.y - b.y || a.x - b.x);
    return (
      <div ref={containerRef} className={classes.stack} data-testid="dashboard-grid">
        {ordered.map((item) => (
          <div key={item.i} style={{ height: item.h * ROW_HEIGHT + (item.h - 1) * MARGIN }}>
            {render(byId.get(item.i)!, item)}
          </div>
        ))}
      </div>
    );
  }

  const stop = (next: Layout) => onLayout(next.map(({ i, x, y, w, h }) => ({ i, x, y, w, h })));
  return (
    <div ref={containerRef} className={classes.grid} data-testid="dashboard-grid">
      {mounted && (
        <ReactGridLayout
          width={width}
          layout={layout}
          gridConfig={{ cols: GRID_COLUMNS, rowHeight: ROW_HEIGHT, margin: [MARGIN, MARGIN], containerPadding: [0, 0] }}
          dragConfig={{ enabled: true, handle: '.tile-drag', cancel: '.no-drag' }}
          resizeConfig={{ enabled: true, handles: ['se'] }}
          onDragStop={(l) => stop(l)}
          onResizeStop={(l) => stop(l)}
        >
          {layout.map((item) => (
            <div key={item.i} data-tile-id={item.i}>
              {render(byId.get(item.i)!, item)}
            </div>
          ))}
        </ReactGridLayout>
      )}
    </div>
  );
}
