/**
 * The naive peers of the analytics benchmark: one SQL statement over the raw events per
 * question, with no read model — what a team gets by pointing a BI tool at the event table.
 * They answer the core of each question (not every detail of docs/metrics.md: no Kaplan–Meier,
 * no skip policy, no filters) and are here only to show what the read models buy.
 */
const STAYS = `
  WITH changes AS (
    SELECT stream_id, stream_revision, (data->>'occurredAt')::timestamptz AS at,
           CASE event_type WHEN 'DealOpened' THEN 'TARGET' WHEN 'DealLost' THEN 'LOST' ELSE data->>'to' END AS stage
      FROM events
     WHERE event_type IN ('DealOpened', 'StageAdvanced', 'StageRegressed', 'DealLost', 'DealReopened')
  ),
  stays AS (
    SELECT stream_id, stage, at AS entered_at, lead(at) OVER w AS exited_at, lead(stage) OVER w AS next_stage,
           row_number() OVER (PARTITION BY stream_id ORDER BY stream_revision DESC) AS from_last
      FROM changes WINDOW w AS (PARTITION BY stream_id ORDER BY stream_revision)
  )`;

const DAYS = `extract(epoch FROM exited_at - entered_at) / 86400`;

export const NAIVE_SQL = {
  dwellTimes: `${STAYS}
    SELECT stage, count(*), avg(${DAYS}), percentile_cont(ARRAY[0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY ${DAYS})
      FROM stays WHERE exited_at IS NOT NULL AND stage NOT IN ('WON', 'LOST') GROUP BY stage`,
  conversionStrict: `${STAYS},
    firsts AS (SELECT stream_id, stage, min(entered_at) AS first_at, max(entered_at) AS last_at FROM stays GROUP BY 1, 2)
    SELECT f.stage, to_char(f.first_at, 'YYYY-MM'), count(*), count(n.stream_id) FILTER (WHERE n.last_at >= f.first_at)
      FROM firsts f LEFT JOIN firsts n ON n.stream_id = f.stream_id
       AND n.stage = (ARRAY['TARGET','POTENTIAL','INTENT','PROJECT','APPROVED','NEGOTIATION','WON'])[array_position(ARRAY['TARGET','POTENTIAL','INTENT','PROJECT','APPROVED','NEGOTIATION','WON'], f.stage) + 1]
     GROUP BY 1, 2`,
  cycleTime: `${STAYS},
    won AS (SELECT stream_id, min(entered_at) AS won_at FROM stays WHERE stage = 'WON' GROUP BY 1),
    opened AS (SELECT stream_id, min(entered_at) AS opened_at FROM stays GROUP BY 1)
    SELECT count(*), percentile_cont(ARRAY[0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM won_at - opened_at) / 86400)
      FROM won JOIN opened USING (stream_id)`,
  funnel: `${STAYS},
    amounts AS (SELECT stream_id, (data->>'amount')::numeric AS amount, data->>'currency' AS currency FROM events WHERE event_type = 'DealOpened')
    SELECT s.stage, a.currency, count(*), sum(a.amount) FROM stays s JOIN amounts a USING (stream_id) WHERE s.from_last = 1 GROUP BY 1, 2`,
  funnelAsOf: `${STAYS},
    amounts AS (SELECT stream_id, (data->>'amount')::numeric AS amount, data->>'currency' AS currency FROM events WHERE event_type = 'DealOpened')
    SELECT s.stage, a.currency, count(*), sum(a.amount) FROM stays s JOIN amounts a USING (stream_id)
     WHERE s.entered_at <= '2025-06-01' AND coalesce(s.exited_at, 'infinity') > '2025-06-01' GROUP BY 1, 2`,
  anomalies: `${STAYS},
    last_activity AS (SELECT stream_id, max((data->>'occurredAt')::timestamptz) AS at FROM events GROUP BY 1)
    SELECT s.stream_id, s.stage, s.entered_at, l.at FROM stays s JOIN last_activity l USING (stream_id)
     WHERE s.from_last = 1 AND s.stage NOT IN ('WON', 'LOST') AND (now() - s.entered_at > interval '30 days' OR now() - l.at > interval '30 days')
     ORDER BY s.entered_at`,
  reps: `${STAYS},
    owners AS (SELECT stream_id, data->>'owner' AS owner FROM events WHERE event_type = 'DealOpened')
    SELECT o.owner, s.stage, count(*) FILTER (WHERE s.exited_at IS NOT NULL),
           count(*) FILTER (WHERE s.next_stage IS NOT NULL AND s.next_stage NOT IN ('LOST')),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ${DAYS})
      FROM stays s JOIN owners o USING (stream_id)
     WHERE s.entered_at >= now() - interval '84 days' GROUP BY 1, 2`,
};
