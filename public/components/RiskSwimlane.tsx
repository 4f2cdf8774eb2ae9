import { Chart, Heatmap, ScaleType, Settings, niceTimeFormatter, type HeatmapElementEvent } from '@elastic/charts';
import type { SwimlaneResponse } from '../../common/api';
import { zoneName } from '../../common/why';
import { cellRange, swimlaneBands, swimlanePoints, type SwimlanePoint } from '../logic/priorities';
import { CHART_THEME, chartDebugState, useChartBaseTheme } from './use_chart_theme';

interface Props {
  swimlane: SwimlaneResponse;
  /** A cell was clicked: the user and the cell's time range. */
  onCellClick(user: string, range: { from: string; to: string }): void;
}

const ROW_HEIGHT = 28;

/**
 * Users × time, as the ML Anomaly Explorer's swimlane: the top users by risk in rows, time buckets
 * in columns, each cell coloured by the highest risk there (0–100, Elastic's levels). A cell opens
 * the user's page on that bucket.
 */
export function RiskSwimlane({ swimlane, onCellClick }: Props) {
  const baseTheme = useChartBaseTheme();
  const points = swimlanePoints(swimlane);
  const from = Date.parse(swimlane.range.from);
  const to = Date.parse(swimlane.range.to);
  const labels = new Map(swimlane.users.map((u) => [u.user, u.label ?? u.user]));
  const zone = zoneName();
  return (
    <div data-test-subj="dfpSwimlane">
      <Chart size={{ height: 60 + ROW_HEIGHT * Math.max(1, swimlane.users.length) }}>
        <Settings
          baseTheme={baseTheme}
          theme={{ ...CHART_THEME, heatmap: { grid: { stroke: { width: 1, color: baseTheme.background.color } }, cell: { maxWidth: 'fill', label: { visible: false } }, yAxisLabel: { visible: true, width: 'auto' } } }}
          showLegend
          debugState={chartDebugState()}
          xDomain={{ min: from, max: to }}
          ariaLabel={`Risk of the top ${swimlane.users.length} users per ${swimlane.interval} over the range`}
          onElementClick={(elements) => {
            const [cell] = (elements[0] as HeatmapElementEvent | undefined) ?? [];
            const datum = cell?.datum as { x?: unknown; y?: unknown } | undefined;
            if (datum && typeof datum.y === 'string' && typeof datum.x === 'number') onCellClick(datum.y, cellRange(swimlane, datum.x));
          }}
        />
        <Heatmap<SwimlanePoint>
          id="dfpRiskSwimlane"
          name="Risk (0–100)"
          data={points}
          colorScale={{ type: 'bands', bands: swimlaneBands() }}
          xAccessor="time"
          yAccessor="user"
          valueAccessor="score"
          valueFormatter={(v: number) => String(Math.round(v))}
          xScale={{ type: ScaleType.Time, interval: { type: 'fixed', unit: 'ms', value: swimlane.intervalMs } }}
          timeZone={zone}
          xSortPredicate="numAsc"
          ySortPredicate="dataIndex"
          xAxisTitle={`Time (${zone})`}
          xAxisLabelName="Time"
          xAxisLabelFormatter={(v) => niceTimeFormatter([from, to])(Number(v))}
          yAxisTitle="User"
          yAxisLabelName="User"
          yAxisLabelFormatter={(v) => labels.get(String(v)) ?? String(v)}
        />
      </Chart>
    </div>
  );
}
