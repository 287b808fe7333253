// ECharts with only the parts the charts use. Imported lazily by EChart (never from a page), so
// no page's first load carries it.
import { BarChart, LineChart, PieChart, SankeyChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, registerMap, use, type ECharts } from 'echarts/core';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, PieChart, SankeyChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer, LabelLayout]);

let worldLoaded: Promise<void> | null = null;
let worldDone = false;
/** Whether the map chart is installed: instances made before it cannot draw maps (ECharts copies its processors at init). */
export const isWorldLoaded = () => worldDone;

/** The map chart and the world's countries (from this app's own files), loaded the first time a map is drawn. */
export function loadWorld(): Promise<void> {
  worldLoaded ??= import('./worldMap').then(({ worldGeoJson, MapChart, VisualMapComponent }) => {
    use([MapChart, VisualMapComponent]);
    registerMap('world', worldGeoJson() as Parameters<typeof registerMap>[1]);
    worldDone = true;
  });
  return worldLoaded;
}

export { init };
export type { ECharts };
