/** The query strings of the pipeline forecast and its backtest. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidationArguments,
  registerDecorator,
} from 'class-validator';
import { CUTOFF_SPACINGS, CutoffSpacing, backtestCutoffs } from '@funnel/domain/metrics/forecast-backtest';
import { HORIZONS, HorizonLabel } from '@funnel/domain/metrics/pipeline-forecast';
import { KnowledgeBasis } from '@funnel/read-models/analytics/pipeline-forecast.query';
import { DealFiltersQuery } from '../../analytics/dto/analytics-filters.query';
import { IsInstant, IsLaterThan, isInstant, parseInstant } from '../../analytics/dto/is-instant.validator';

/** At most two years of weeks per backtest: each cut-off runs a whole simulation. */
export const MAX_BACKTEST_CUTOFFS = 104;

/** [from, to) with the chosen spacing gives at most MAX_BACKTEST_CUTOFFS cut-offs. */
function SpansFewCutoffs(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'spansFewCutoffs',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `from … to must hold at most ${MAX_BACKTEST_CUTOFFS} cut-offs at the chosen spacing` },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const q = args.object as { to?: unknown; every?: unknown };
          if (!isInstant(value) || (q.to !== undefined && !isInstant(q.to))) return true;
          const every = q.every === 'week' ? 'week' : 'month';
          return backtestCutoffs(parseInstant(value), q.to === undefined ? new Date() : parseInstant(q.to as string), every).length <= MAX_BACKTEST_CUTOFFS;
        },
      },
    });
}

export const LEAD_TIMES = ['30', '90', '180'] as const;
/**
 * The expected value's Monte Carlo error is the runs' spread / √runs (4.5 % of it at 500); time grows
 * with runs × deals (bench/forecast.bench.ts), so the dashboard's default stays at 500.
 */
export const DEFAULT_FORECAST_RUNS = 500;
/** Each cut-off runs a whole simulation; only the expected value is scored. */
export const DEFAULT_BACKTEST_RUNS = 200;
export const KNOWLEDGE_BASES: readonly KnowledgeBasis[] = ['recorded', 'occurred'];

/** owner/team/region/industry: which deals are forecast (at their latest move) and which openings set the arrival rate. */
class ForecastFiltersQuery extends DealFiltersQuery {
  @ApiPropertyOptional({ description: 'Monte Carlo runs.', default: DEFAULT_FORECAST_RUNS, minimum: 100, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(10000)
  runs?: number;

  @ApiPropertyOptional({ description: 'Seed of the random draws: the same seed gives the same answer.', default: 1, minimum: 0, maximum: 4294967295 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(4294967295)
  seed?: number;

  @ApiPropertyOptional({ description: 'Days before asOf over which the arrival rate of new deals is measured.', default: 365, minimum: 7, maximum: 3650 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(7)
  @Max(3650)
  lookbackDays?: number;
}

export class PipelineForecastQueryDto extends ForecastFiltersQuery {
  @ApiPropertyOptional({ description: 'The forecast is made as of this instant, from history before it. Default: now.', example: '2024-06-01' })
  @IsOptional()
  @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({ enum: HORIZONS, default: '90', description: 'Days ahead (30, 90, 180), or to the end of the UTC quarter asOf lies in.' })
  @IsOptional()
  @IsIn(HORIZONS)
  horizon?: HorizonLabel;
}

export class ForecastBacktestQueryDto extends ForecastFiltersQuery {
  @ApiPropertyOptional({ description: `First cut-off no earlier than this. Default: 365 days before \`to\`. At most ${MAX_BACKTEST_CUTOFFS} cut-offs.`, example: '2024-01-01' })
  @IsOptional()
  @IsInstant()
  @SpansFewCutoffs()
  from?: string;

  @ApiPropertyOptional({ description: 'Cut-offs before this. Default: now.', example: '2024-07-01' })
  @IsOptional()
  @IsInstant()
  @IsLaterThan('from')
  to?: string;

  @ApiPropertyOptional({ enum: CUTOFF_SPACINGS, default: 'month', description: 'A cut-off every Monday or every first of the month (00:00 UTC).' })
  @IsOptional()
  @IsIn(CUTOFF_SPACINGS)
  every?: CutoffSpacing;

  @ApiPropertyOptional({ description: 'Lead times in days, comma-separated, of 30, 90, 180.', default: '30,90,180', example: '30,90' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',') : value))
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsIn(LEAD_TIMES, { each: true, message: 'leadTimes must be a comma-separated list of 30, 90, 180' })
  leadTimes?: string[];

  @ApiPropertyOptional({
    enum: KNOWLEDGE_BASES,
    default: 'recorded',
    description: 'recorded: a cut-off sees the events recorded by then (knownAt); occurred: those that had happened by then — for history imported after the fact.',
  })
  @IsOptional()
  @IsIn(KNOWLEDGE_BASES)
  knownBy?: KnowledgeBasis;

  @ApiPropertyOptional({ description: 'Monte Carlo runs per cut-off.', default: DEFAULT_BACKTEST_RUNS, minimum: 100, maximum: 10000 })
  declare runs?: number;
}
