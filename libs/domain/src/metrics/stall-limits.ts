/**
 * When an open deal counts as stalled. Metrics settings, not playbook data: the playbook says
 * what a stage means; these say how long is too long. A deal is stalled when its time in the
 * current stage exceeds the stage's limit below, or the p90 of completed stays in that stage
 * (once there are enough of them for a p90 to mean something).
 */
import { OpenStage } from './stage-stay';

export interface StallSettings {
  /** Default limit per stage, in days. */
  limitDays: Record<OpenStage, number>;
  /** The p90 of completed stays is used only with at least this many of them. */
  minCompletedStaysForP90: number;
}

export const DEFAULT_STALL_SETTINGS: StallSettings = {
  limitDays: {
    TARGET: 30,
    POTENTIAL: 30,
    INTENT: 45,
    PROJECT: 60,
    // The APPROVED marker promises > 50% chance of closing within 90 days.
    APPROVED: 90,
    NEGOTIATION: 45,
  },
  minCompletedStaysForP90: 5,
};

/** Default for "no activity for N days". */
export const DEFAULT_INACTIVE_DAYS = 30;
