import { Axis, BarSeries, Chart, LineSeries, Position, ScaleType, Settings, niceTimeFormatter } from '@elastic/charts';
import type { OverviewResponse } from '../../common/api';
import { overTimeSeries } from '../logic/series';
import { formatCount } from '../logic/format';
import { CHART_THEME, useChartBaseTheme } from './use_chart_theme';

/** Flagged events per bucket (bars) against all scored events (line, right axis). */
export function AnomaliesOverTimeChart({ overview }: { overview: OverviewResponse }) {
  const baseTheme = useChartBaseTheme();
  const data = overTimeSeries(overview);
  const from = Date.parse(overview.range.from);
  const to = Date.parse(overview.range.to);
  return (
    <div data-test-subj="dfpAnomaliesOverTime">
      <Chart size={{ height: 220 }}>
        <Settings
          baseTheme={baseTheme}
          theme={CHART_THEME}
          showLegend
          legendPosition={Position.Top}
          xDomain={{ min: from, max: to }}
          ariaLabel={`Flagged and scored events per ${overview.interval}`}
        />
        <Axis id="time" position={Position.Bottom} tickFormat={niceTimeFormatter([from, to])} />
        <Axis id="flagged" title="Flagged events" position={Position.Left} tickFormat={(v: number) => formatCount(v)} />
        <Axis id="events" title="Scored events" groupId="events" position={Position.Right} tickFormat={(v: number) => formatCount(v)} />
        <BarSeries id="Flagged" color="#BD271E" xScaleType={ScaleType.Time} yScaleType={ScaleType.Linear} xAccessor="x" yAccessors={['flagged']} data={data} />
        <LineSeries id="Scored" groupId="events" xScaleType={ScaleType.Time} yScaleType={ScaleType.Linear} xAccessor="x" yAccessors={['events']} data={data} />
      </Chart>
    </div>
  );
}
