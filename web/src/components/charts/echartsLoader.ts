// ECharts' code, loaded once: by the first chart, or earlier by the start-up for a page of charts
// (early.ts). No React here, so the start-up can use it before the app has loaded.
type EchartsModule = typeof import('./echarts');

let loaded: EchartsModule | null = null;
let loading: Promise<EchartsModule> | null = null;

/** ECharts if it has arrived, so a chart drawn after that draws in its first render. */
export const loadedEcharts = (): EchartsModule | null => loaded;

export function loadEcharts(): Promise<EchartsModule> {
  loading ??= import('./echarts').then(
    (m) => (loaded = m),
    (e) => {
      loading = null; // a failed download is tried again by the next chart
      throw e;
    },
  );
  return loading;
}
