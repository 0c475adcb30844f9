import { Module } from '@nestjs/common';
import { FeedsController } from './feeds.controller';
import { StageChangeFeedService } from './stage-change-feed.service';
import { StageChangeSseService } from './stage-change-sse.service';

/** Outbound integration feeds for other services, read from the event store's global feed. */
@Module({
  controllers: [FeedsController],
  providers: [StageChangeFeedService, StageChangeSseService],
})
export class FeedsModule {}
