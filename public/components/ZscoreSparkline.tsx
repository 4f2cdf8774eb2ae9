import { Chart, LineSeries, LineAnnotation, AnnotationDomainType, ScaleType, Settings, Axis, Position, Tooltip } from '@elastic/charts';
import { sparklinePoints, zDomainMax, zDomainMin } from '../logic/series';
import { formatZ } from '../logic/format';
import { CHART_THEME, useChartBaseTheme } from './use_chart_theme';

interface Props {
  user: string;
  sparkline: (number | null)[];
  threshold: number;
}

/** A user's highest dfp.zscore per bucket across the range, with the threshold as a faint line. */
export function ZscoreSparkline({ user, sparkline, threshold }: Props) {
  const baseTheme = useChartBaseTheme();
  const data = sparklinePoints(sparkline);
  const values = data.flatMap((p) => (p.y === null ? [] : [p.y]));
  const max = zDomainMax(values, threshold);
  return (
    <div data-test-subj="dfpSparkline" style={{ width: 140, height: 32 }}>
      <Chart size={{ width: 140, height: 32 }}>
        <Settings baseTheme={baseTheme} theme={CHART_THEME} showLegend={false} ariaLabel={`${user}: highest z-score per interval, up to ${formatZ(values.length ? Math.max(...values) : null)}`} />
        <Tooltip type="none" />
        <Axis id="y" position={Position.Left} hide domain={{ min: zDomainMin(values), max }} />
        <Axis id="x" position={Position.Bottom} hide />
        <LineAnnotation id="threshold" domainType={AnnotationDomainType.YDomain} dataValues={[{ dataValue: threshold }]} style={{ line: { strokeWidth: 1, stroke: '#BD271E', opacity: 0.5, dash: [2, 2] } }} />
        <LineSeries id="z" xScaleType={ScaleType.Linear} yScaleType={ScaleType.Linear} xAccessor="x" yAccessors={['y']} data={data} />
      </Chart>
    </div>
  );
}
