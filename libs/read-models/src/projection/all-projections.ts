import { accountSummaryProjection } from '../accounts/account-summary.projection';
import { activityProjection } from '../activity/activity.projection';
import { auditTrailProjection } from '../audit-trail/audit-trail.projection';
import { dealSummaryProjection } from '../deal-summary/deal-summary.projection';
import { dealTimelineProjection } from '../deal-timeline/deal-timeline.projection';
import { stageHistoryProjection } from '../stage-history/stage-history.projection';
import { Projection } from './projection';

/** Every projection the projector runs, by name. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  dealSummaryProjection,
  stageHistoryProjection,
  activityProjection,
  accountSummaryProjection,
  dealTimelineProjection,
  auditTrailProjection,
];

export function findProjection(name: string): Projection | undefined {
  return ALL_PROJECTIONS.find((p) => p.name === name);
}
