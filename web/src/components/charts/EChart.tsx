import { Skeleton, useComputedColorScheme } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { chartOption, clickTarget } from './options';
import type { ChartModel } from './types';

type EchartsModule = typeof import('./echarts');
let loaded: EchartsModule | null = null;
let loading: Promise<EchartsModule> | null = null;

/** ECharts arrives with the first chart and stays. */
function loadEcharts(): Promise<EchartsModule> {
  loading ??= import('./echarts').then((m) => (loaded = m));
  return loading;
}

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
  const [lib, setLib] = useState<EchartsModule | null>(loaded);
  const [worldReady, setWorldReady] = useState(() => loaded?.isWorldLoaded() ?? false);
  const mapReady = model.type !== 'map' || worldReady;
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<import('./echarts').ECharts | null>(null);
  const option = useMemo(() => chartOption(model, { dark }), [model, dark]);
  const latest = useRef({ model, onPoint });
  latest.current = { model, onPoint };

  useEffect(() => {
    let live = true;
    if (!lib) void loadEcharts().then((m) => live && setLib(m));
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

  // one ECharts instance per element (made again once maps are installed); the scheme changes colours through the option
  useEffect(() => {
    if (!lib || !el.current || !mapReady) return;
    const instance = lib.init(el.current, null, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => {
      const p = params as { seriesIndex?: number; dataIndex?: number; name?: string; dataType?: string };
      if (p.dataType === 'edge' || p.dataType === 'node') return;
      const target = clickTarget(latest.current.model, p.seriesIndex ?? 0, p.dataIndex ?? 0, p.name);
      if (target !== null && target !== undefined) latest.current.onPoint?.(target);
    });
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el.current);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [lib, worldReady, mapReady]);

  // a new answer animates in; the same answer in the other colour scheme is redrawn at once
  const drawn = useRef<{ model: ChartModel<D> | null; instance: unknown }>({ model: null, instance: null });
  useEffect(() => {
    if (!chart.current || !option || !mapReady) return;
    const sameAnswer = drawn.current.model === model && drawn.current.instance === chart.current;
    chart.current.setOption(sameAnswer ? { ...option, animation: false } : option, { notMerge: true });
    drawn.current = { model, instance: chart.current };
  }, [option, lib, mapReady, model]);

  return (
    <div style={{ position: 'relative', height, width: '100%' }}>
      {(!lib || !mapReady) && <Skeleton pos="absolute" inset={0} radius="sm" />}
      <div ref={el} style={{ height: '100%', width: '100%' }} role="img" aria-label={label ?? 'Chart'} data-testid="chart-canvas" />
    </div>
  );
}
