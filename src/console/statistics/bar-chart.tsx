import { BarChart as BarSeries, type BarSeriesOption } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent, type AriaComponentOption, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

/*
 * Apache ECharts, tree-shaken: the core with bar series, a grid, tooltips and ARIA, drawn as SVG
 * (crisp when printed, text that a PDF keeps). This module is imported by the statistics and
 * operations pages only, so the library downloads with them (its own long-lived chunk,
 * vite.config.mts), never with the sign-in page.
 *
 * No HTML tooltip: ECharts would write style="…" attributes through innerHTML, which the
 * console's Content-Security-Policy refuses; the tooltip is drawn in the chart (richText).
 */
use([BarSeries, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption | AriaComponentOption>;

export interface Bar {
  label: string;
  value: number;
}

/**
 * A bar chart of one series: horizontal bars (labels down the side) or vertical ones (time
 * along the bottom). `description` is what a screen reader is told (role="img"); the numbers
 * themselves are in the table beside each chart.
 */
export function BarChart({
  bars,
  description,
  format,
  horizontal = false,
  color = '#0958d9',
  height,
}: {
  bars: Bar[];
  description: string;
  format: (n: number) => string;
  horizontal?: boolean;
  color?: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | undefined>(undefined);
  const shown = height ?? (horizontal ? Math.max(140, 36 * bars.length + 40) : 260);

  useEffect(() => {
    const el = box.current!;
    const c = init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    // The chart follows its box (a card that narrows, a page laid out again for print).
    const watch = new ResizeObserver(() => c.resize());
    watch.observe(el);
    return () => {
      watch.disconnect();
      c.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    const labels = bars.map((b) => b.label);
    const category = { type: 'category' as const, data: horizontal ? [...labels].reverse() : labels, axisLabel: { color: 'rgba(0,0,0,0.85)', interval: 0, hideOverlap: !horizontal } };
    const value = { type: 'value' as const, axisLabel: { color: 'rgba(0,0,0,0.65)', formatter: (v: number) => format(v) }, minInterval: 1 };
    const data = bars.map((b) => b.value);
    const option: Option = {
      animation: false,
      aria: { enabled: true, label: { enabled: true, description } },
      tooltip: { trigger: 'item', renderMode: 'richText', valueFormatter: (v) => format(Number(v)) },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [
        {
          type: 'bar',
          data: horizontal ? [...data].reverse() : data,
          itemStyle: { color },
          barMaxWidth: 36,
          label: { show: true, position: horizontal ? 'right' : 'top', color: 'rgba(0,0,0,0.85)', formatter: (p) => format(Number(p.value)) },
        },
      ],
    };
    chart.current?.setOption(option, true);
  }, [bars, description, format, horizontal, color]);

  return <div ref={box} className="hub-chart" style={{ width: '100%', height: shown }} />;
}
