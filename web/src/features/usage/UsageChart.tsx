import { Skeleton, useComputedColorScheme } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { ProjectUsage } from '../../api';
import { dailySeries, formatCount } from './usage';

/** The month's days as bars stacked by kind. ECharts loads with it, in a chunk of its own. */
export function UsageChart({ usage }: { usage: ProjectUsage }) {
  const box = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const scheme = useComputedColorScheme('light');

  useEffect(() => {
    let disposed = false;
    let chart: { dispose(): void; resize(): void } | undefined;
    const observer = new ResizeObserver(() => chart?.resize());
    import('./echarts').then(({ echarts }) => {
      if (disposed || !box.current) return;
      const instance = echarts.init(box.current, scheme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
      chart = instance;
      const { days, series } = dailySeries(usage);
      instance.setOption({
        backgroundColor: 'transparent',
        animation: false,
        grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
        legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 10 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => formatCount(Number(v)) },
        xAxis: { type: 'category', data: days, axisTick: { alignWithLabel: true } },
        yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => formatCount(v) } },
        series: series.map((s) => ({ type: 'bar', stack: 'events', name: s.name, data: s.data, itemStyle: { color: s.color }, barMaxWidth: 28 })),
      });
      observer.observe(box.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer.disconnect();
      chart?.dispose();
    };
  }, [usage, scheme]);

  return (
    <div style={{ position: 'relative', height: 280 }}>
      {!ready && <Skeleton height={280} style={{ position: 'absolute', inset: 0 }} />}
      <div ref={box} style={{ height: 280 }} data-testid="usage-chart" aria-label="Events a day, stacked by kind" role="img" />
    </div>
  );
}
