import { Axis, BarSeries, Chart, Position, ScaleType, Settings } from '@elastic/charts';
import type { RangeBar } from '../logic/fingerprint';
import { formatNumber } from '../logic/format';
import { CHART_THEME, useChartBaseTheme } from './use_chart_theme';

/** A numeric feature's typical range (5th to 95th percentile) in training and recently. */
export function NumericRangeChart({ feature, ranges }: { feature: string; ranges: RangeBar[] }) {
  const baseTheme = useChartBaseTheme();
  const lo = Math.min(...ranges.map((r) => r.p5));
  const hi = Math.max(...ranges.map((r) => r.p95));
  // Zero-width ranges (a constant feature) still get a visible bar.
  const pad = hi > lo ? 0 : Math.max(0.5, Math.abs(hi) * 0.05);
  const data = ranges.map((r) => ({ ...r, low: r.p5 - pad, high: r.p95 + pad }));
  return (
    <Chart size={{ height: 110 }}>
      <Settings baseTheme={baseTheme} theme={CHART_THEME} rotation={90} showLegend={false} ariaLabel={`${feature}: ${ranges.map((r) => `${r.side} ${formatNumber(r.p5)} to ${formatNumber(r.p95)}, median ${formatNumber(r.p50)}`).join('; ')}`} />
      <Axis id="side" position={Position.Left} />
      <Axis id="value" position={Position.Bottom} tickFormat={(v: number) => formatNumber(v)} ticks={4} />
      <BarSeries id={`${feature}-range`} xScaleType={ScaleType.Ordinal} yScaleType={ScaleType.Linear} xAccessor="side" yAccessors={['high']} y0Accessors={['low']} data={data} />
    </Chart>
  );
}
