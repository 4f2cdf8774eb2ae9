import { Axis, BarSeries, Chart, Position, ScaleType, Settings } from '@elastic/charts';
import { categoryBars, type CategoryRow } from '../logic/fingerprint';
import { formatShare } from '../logic/format';
import { CHART_THEME, useChartBaseTheme } from './use_chart_theme';

/** A categorical feature's top values: share in training against share recently, side by side. */
export function CategoryBarsChart({ feature, rows }: { feature: string; rows: CategoryRow[] }) {
  const baseTheme = useChartBaseTheme();
  const data = categoryBars(rows);
  const height = Math.max(90, 26 * rows.length + 40);
  return (
    <Chart size={{ height }}>
      <Settings baseTheme={baseTheme} theme={CHART_THEME} rotation={90} showLegend legendPosition={Position.Bottom} ariaLabel={`${feature}: share of each value in training and recently`} />
      <Axis id="value" position={Position.Left} tickFormat={(v: string) => (v.length > 28 ? `${v.slice(0, 27)}…` : v)} />
      <Axis id="share" position={Position.Bottom} domain={{ min: 0, max: 1 }} tickFormat={(v: number) => formatShare(v)} ticks={3} />
      <BarSeries
        id={`${feature}-shares`}
        xScaleType={ScaleType.Ordinal}
        yScaleType={ScaleType.Linear}
        xAccessor="label"
        yAccessors={['share']}
        splitSeriesAccessors={['side']}
        data={data}
      />
    </Chart>
  );
}
