import { ApiProperty } from '@nestjs/swagger';
import { FeedLag } from '@funnel/read-models/projection/feed-lag';
import { PartitionStatus, ProjectionStatus } from '@funnel/read-models/projection/projection-status.query';

export class FeedLagDto implements FeedLag {
  @ApiProperty({ description: 'Feed events after the checkpoint (counted up to a cap).' }) events!: number;
  @ApiProperty({ description: 'True when the count stopped at its cap: at least `events` behind.' }) capped!: boolean;
  @ApiProperty({ description: 'Now minus the recorded time of the oldest event not yet projected; 0 when level.' })
  seconds!: number;
}

export class ProjectionFailureDto {
  @ApiProperty({ description: 'When the first of the consecutive failures happened.' }) since!: string;
  @ApiProperty({ description: 'Failed attempts since the last batch that committed.' }) attempts!: number;
  @ApiProperty({ description: 'The last error; the projection retries from its checkpoint with backoff.' })
  lastError!: string;
}

export class PartitionStatusDto implements PartitionStatus {
  @ApiProperty({ example: 0 }) partition!: number;
  @ApiProperty({ example: '1042:1310', description: "'start' or the feed position this partition has passed." })
  position!: string;
  @ApiProperty({ description: "Events of this partition it has projected (a rebuild counts them all in partition 0)." })
  eventsProcessed!: number;
  @ApiProperty({ description: 'True while a process holds the partition lease (or, with one partition, the writer lock).' })
  writing!: boolean;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: ProjectionFailureDto, nullable: true }) failing!: ProjectionFailureDto | null;
}

export class ProjectionStatusDto implements ProjectionStatus {
  @ApiProperty({ example: 'deal_summary' }) name!: string;
  @ApiProperty({ enum: ['live', 'building', 'abandoned'], description: 'abandoned: a rebuild that died; the next start or rebuild drops it.' })
  status!: 'live' | 'building' | 'abandoned';
  @ApiProperty() generation!: number;
  @ApiProperty({ type: Number, nullable: true }) liveGeneration!: number | null;
  @ApiProperty({ description: 'Code version of the projection that built this generation.' }) version!: number;
  @ApiProperty({ example: '1042:1310', description: "'start' or the feed position of the last event projected (by every partition)." })
  position!: string;
  @ApiProperty() eventsProcessed!: number;
  @ApiProperty({ type: FeedLagDto }) lag!: FeedLagDto;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: String, nullable: true }) liveSince!: string | null;
  @ApiProperty({ type: ProjectionFailureDto, nullable: true, description: 'Set while its batches keep failing.' })
  failing!: ProjectionFailureDto | null;
  @ApiProperty({ type: [PartitionStatusDto], description: 'One checkpoint per partition (PROJECTOR_PARTITIONS when the generation was created).' })
  partitions!: PartitionStatusDto[];
}

export class ProjectionListDto {
  @ApiProperty({ type: [ProjectionStatusDto], description: 'Every live generation, and any generation being rebuilt.' })
  projections!: ProjectionStatusDto[];
}
