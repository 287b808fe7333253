import { Skeleton, useComputedColorScheme } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { loadEcharts, loadedEcharts } from './echartsLoader';
import { chartOption, clickTarget } from './options';
import type { ChartModel } from './types';

type EchartsModule = typeof import('./echarts');

/** One chart drawn by ECharts from a model; a click on a point hands back its drill payload. */
export function EChart<D>({
  model,
  height,
  onPoint,
  label,
}: {
  model: ChartModel<D>;
  height: number | string;
  onPoint?: (target: D) => void;
  /** Words for screen readers: the chart's table view has the numbers. */
  label?: string;
}) {
  const dark = useComputedColorScheme('light') === 'dark';
  const [lib, setLib] = useState<EchartsModule | null>(loadedEcharts);
  const [worldReady, setWorldReady] = useState(() => loadedEcharts()?.isWorldLoaded() ?? false);
  const mapReady = model.type !== 'map' || worldReady;
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<import('./echarts').ECharts | null>(null);
  const option = useMemo(() => chartOption(model, { dark }), [model, dark]);
  const latest = useRef({ model, onPoint, option });
  latest.current = { model, onPoint, option };

  useEffect(() => {
    let live = true;
    if (!lib) void loadEcharts().then((m) => live && setLib(m), () => {});
    return () => {
      live = false;
    };
  }, [lib]);

  useEffect(() => {
    if (!lib || model.type !== 'map') return;
    let live = true;
    void lib.loadWorld().then(() => live && setWorldReady(true));
    return () => {
      live = false;
    };
  }, [lib, model.type]);

  // A new answer animates in; the first drawing (a page opening with its answers) and the same
  // answer in the other colour scheme are drawn at once: setting up the animation of every point
  // took most of a chart's first drawing, and a dashboard opens eight.
  const drawn = useRef<{ model: ChartModel<D> | null; instance: unknown }>({ model: null, instance: null });
  const drawLatest = (instance: import('./echarts').ECharts) => {
    const { model: m, option: o } = latest.current;
    if (!o) return;
    const animate = drawn.current.model !== null && drawn.current.instance === instance && drawn.current.model !== m;
    instance.setOption(animate ? o : { ...o, animation: false }, { notMerge: true });
    drawn.current = { model: m, instance };
  };

  // One ECharts instance per element (made again once maps are installed), made once the element
  // has its laid-out size: the observer reports it before the first paint, and a chart made before
  // the dashboard's grid settled was drawn twice (resized at once: most of eight tiles' drawing
  // time). The scheme changes colours through the option.
  useEffect(() => {
    if (!lib || !el.current || !mapReady) return;
    const element = el.current;
    let instance: import('./echarts').ECharts | null = null;
    let size = '';
    const observer = new ResizeObserver(() => {
      const now = `${element.clientWidth}x${element.clientHeight}`;
      if (instance === null) {
        if (element.clientWidth === 0 || element.clientHeight === 0) return; // not shown yet (a closed tab)
        instance = lib.init(element, null, { renderer: 'canvas' });
        instance.on('click', (params) => {
          const p = params as { seriesIndex?: number; dataIndex?: number; name?: string; dataType?: string };
          if (p.dataType === 'edge' || p.dataType === 'node') return;
          const target = clickTarget(latest.current.model, p.seriesIndex ?? 0, p.dataIndex ?? 0, p.name);
          if (target !== null && target !== undefined) latest.current.onPoint?.(target);
        });
        chart.current = instance;
        size = now;
        drawLatest(instance);
        return;
      }
      if (now === size) return;
      size = now;
      instance.resize();
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance?.dispose();
      chart.current = null;
    };
    // drawLatest reads refs only
  }, [lib, worldReady, mapReady]);

  // a later answer (or colour scheme) on a chart already made
  useEffect(() => {
    if (!chart.current || !mapReady) return;
    drawLatest(chart.current);
  }, [option, lib, mapReady, model]);

  return (
    <div style={{ position: 'relative', height, width: '100%' }}>
      {(!lib || !mapReady) && <Skeleton pos="absolute" inset={0} radius="sm" />}
      <div ref={el} style={{ height: '100%', width: '100%' }} role="img" aria-label={label ?? 'Chart'} data-testid="chart-canvas" />
    </div>
  );
}
