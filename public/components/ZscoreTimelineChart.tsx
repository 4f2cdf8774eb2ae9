import { AnnotationDomainType, Axis, BubbleSeries, Chart, LineAnnotation, LineSeries, Position, ScaleType, Settings, niceTimeFormatter } from '@elastic/charts';
import type { ZPoint } from '../logic/series';
import { zDomainMax, zDomainMin } from '../logic/series';
import { formatZ } from '../logic/format';
import { CHART_THEME, chartDebugState, useChartBaseTheme } from './use_chart_theme';

interface Props {
  id: string;
  /** What the y axis measures ("dfp.zscore"). */
  label: string;
  points: ZPoint[];
  threshold: number;
  range: { from: string; to: string };
  onPointClick?(point: ZPoint): void;
}

/** A z over time, each event a point, the threshold in force as a line; points at or above it in red. */
export function ZscoreTimelineChart({ id, label, points, threshold, range, onPointClick }: Props) {
  const baseTheme = useChartBaseTheme();
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  const flagged = points.filter((p) => p.flagged);
  return (
    <div data-test-subj={`dfpTimeline-${id}`}>
      <Chart size={{ height: 220 }}>
        <Settings
          baseTheme={baseTheme}
          theme={CHART_THEME}
          showLegend
          legendPosition={Position.Top}
          debugState={chartDebugState()}
          xDomain={{ min: from, max: to }}
          ariaLabel={`${label} per event over time, threshold ${threshold}; ${flagged.length} of ${points.length} events at or above it`}
          onElementClick={(elements) => {
            const first = elements[0] as unknown as [{ datum?: ZPoint }] | undefined;
            const datum = first?.[0]?.datum;
            if (datum && onPointClick) onPointClick(datum);
          }}
        />
        <Axis id="time" position={Position.Bottom} tickFormat={niceTimeFormatter([from, to])} />
        <Axis id="z" title={label} position={Position.Left} domain={{ min: zDomainMin(points.map((p) => p.y)), max: zDomainMax(points.map((p) => p.y), threshold) }} tickFormat={(v: number) => formatZ(v)} />
        <LineAnnotation
          id={`${id}-threshold`}
          domainType={AnnotationDomainType.YDomain}
          dataValues={[{ dataValue: threshold, details: `threshold ${threshold}` }]}
          style={{ line: { strokeWidth: 1.5, stroke: '#BD271E', opacity: 0.8, dash: [4, 4] } }}
        />
        {/* Events are points, not a process: no line joins them across quiet hours. */}
        <LineSeries
          id={label}
          xScaleType={ScaleType.Time}
          yScaleType={ScaleType.Linear}
          xAccessor="x"
          yAccessors={['y']}
          data={points}
          lineSeriesStyle={{ line: { visible: false }, point: { visible: 'always', radius: 2.5, opacity: 0.8 } }}
        />
        <BubbleSeries id="At or above the threshold" color="#BD271E" xScaleType={ScaleType.Time} yScaleType={ScaleType.Linear} xAccessor="x" yAccessors={['y']} data={flagged} />
      </Chart>
    </div>
  );
}
