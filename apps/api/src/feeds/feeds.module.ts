import { Module } from '@nestjs/common';
import { AccountPhaseFeedController } from './account-phase-feed.controller';
import { AccountPhaseFeedService } from './account-phase-feed.service';
import { FeedsController } from './feeds.controller';
import { StageChangeFeedService } from './stage-change-feed.service';
import { StageChangeSseService } from './stage-change-sse.service';

/** Outbound integration feeds for other services, read from the event store's global feed. */
@Module({
  controllers: [FeedsController, AccountPhaseFeedController],
  providers: [StageChangeFeedService, StageChangeSseService, AccountPhaseFeedService],
})
export class FeedsModule {}
