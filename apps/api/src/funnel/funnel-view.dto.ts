import { ApiProperty } from '@nestjs/swagger';
import { TimeAxesDto } from '../deals/dto/responses.dto';
import { DEAL_STATUS_STAGES, DealStatusStage } from '@funnel/domain/playbook/stage';
import {
  FunnelCurrencyFigures,
  FunnelFilters,
  FunnelStageFigures,
  FunnelView,
} from '@funnel/read-models/funnel/funnel.query';

/** OpenAPI shapes of GET /v1/funnel (the query returns plain objects of these shapes). */
export class FunnelCurrencyFiguresDto implements FunnelCurrencyFigures {
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty() deals!: number;
  @ApiProperty() amount!: number;
  @ApiProperty({ type: Number, nullable: true }) weightedAmount!: number | null;
}

export class FunnelStageFiguresDto implements FunnelStageFigures {
  @ApiProperty({ enum: DEAL_STATUS_STAGES }) stage!: DealStatusStage;
  @ApiProperty({ description: 'Deals in the stage: open ones up to NEGOTIATION, won ones in WON, lost ones in LOST.' })
  deals!: number;
  @ApiProperty({
    type: [FunnelCurrencyFiguresDto],
    description: 'Per currency (amounts are never added across currencies): deals, Σ amount, Σ amount × probability / 100 of the current forecasts (null with asOf: no forecast history is kept).',
  })
  byCurrency!: FunnelCurrencyFiguresDto[];
}

export class FunnelFiltersDto implements FunnelFilters {
  @ApiProperty({ type: String, nullable: true }) owner!: string | null;
  @ApiProperty({ type: String, nullable: true }) team!: string | null;
  @ApiProperty({ type: String, nullable: true }) region!: string | null;
  @ApiProperty({ type: String, nullable: true }) industry!: string | null;
}

export class FunnelViewDto implements FunnelView {
  @ApiProperty({ example: 'funnel/2', description: 'Version of the metric definitions behind these figures.' })
  metricDefinitionVersion!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The business-time instant the funnel is taken at; null for now.' })
  asOf!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The recorded-time instant: the funnel as known then; null for all recorded.' })
  knownAt!: string | null;
  @ApiProperty({ type: () => TimeAxesDto, description: 'The time axis these figures used.' }) time!: TimeAxesDto;
  @ApiProperty({ type: FunnelFiltersDto }) filters!: FunnelFiltersDto;
  @ApiProperty({ type: [FunnelStageFiguresDto], description: 'The seven stages in order, then LOST.' })
  stages!: FunnelStageFiguresDto[];
  @ApiProperty({ type: [String] }) notes!: string[];
}
