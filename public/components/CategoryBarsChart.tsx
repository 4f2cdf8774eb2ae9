import { Axis, BarSeries, Chart, Position, ScaleType, Settings } from '@elastic/charts';
import { categoryBars, type CategoryRow } from '../logic/fingerprint';
import { formatShare } from '../logic/format';
import { CHART_THEME, chartDebugState, useChartBaseTheme } from './use_chart_theme';

/** Height of one value's pair of bars (a label's line and a gap), and of the share axis below them. */
const ROW_PX = 30;
const FRAME_PX = 40;
/** The hour chart: 24 slots side by side. */
const CLOCK_HEIGHT_PX = 200;

interface Props {
  feature: string;
  rows: CategoryRow[];
  /** Rows are the hours of the day: bars stand side by side in clock order, every hour labelled. */
  clock?: boolean;
}

/**
 * A categorical feature's values: share in training against share recently, side by side. The
 * height grows with the rows so each keeps its bars and its label (with a fixed height, the legend
 * left one row's bars no height and packed longer labels until @elastic/charts dropped them).
 */
export function CategoryBarsChart({ feature, rows, clock = false }: Props) {
  const baseTheme = useChartBaseTheme();
  const data = categoryBars(rows);
  const height = clock ? CLOCK_HEIGHT_PX : ROW_PX * rows.length + FRAME_PX;
  // Hours share a day: an axis to the largest share keeps their bars readable; other values run to 100 %.
  const top = clock ? Math.min(1, Math.ceil(Math.max(0.1, ...data.map((d) => d.share)) * 10) / 10) : 1;
  return (
    <div data-test-subj={`dfpCategoryBars-${feature}`}>
      <Chart size={{ height }}>
        <Settings
          baseTheme={baseTheme}
          theme={CHART_THEME}
          rotation={clock ? 0 : 90}
          showLegend
          // Value bars: the legend beside them (above, it took the height the bars were given). Hours:
          // above, so the 24 labels keep the width they need.
          legendPosition={clock ? Position.Top : Position.Right}
          debugState={chartDebugState()}
          ariaLabel={`${feature}: share of each value in training and recently${clock ? ', by hour of day (UTC)' : ''}`}
        />
        <Axis
          id="value"
          position={clock ? Position.Bottom : Position.Left}
          title={clock ? 'hour of day (UTC)' : undefined}
          tickFormat={(v: string) => (v.length > 28 ? `${v.slice(0, 27)}…` : v)}
        />
        <Axis id="share" position={clock ? Position.Left : Position.Bottom} domain={{ min: 0, max: top }} tickFormat={(v: number) => formatShare(v)} ticks={3} />
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
    </div>
  );
}
