/**
 * Anchors: a chain cannot show a rewritten store if the rewriter also rewrites the heads. An
 * anchor fixes every stream's head (stream id, revision, hash) at a feed position in one Merkle
 * root, recorded as an event in the audit stream and printed for the auditor to keep outside the
 * system. Verifying against a kept root recomputes the heads as of that position from the
 * events themselves: a stream lost, an event changed, removed, inserted or reordered — even
 * with the rest of its stream re-hashed — changes the root.
 */
import { randomUUID } from 'node:crypto';
import { EventStore, RecordedEvent } from '../../event-store.port';
import { StreamNotFoundError } from '../../event-store.errors';
import { GlobalPosition, formatPosition, parsePosition } from '../../global-position';
import { ChainWalk, WalkBreak } from '../chain-walk';
import { AnchorLeaf, PathStep, inclusionPath, leafHash, merkleRoot } from './merkle-tree';

/** The audit stream anchors are recorded in; it is not itself covered by the anchors. */
export const ANCHOR_STREAM = 'audit-anchors';
export const ANCHOR_RECORDED = 'AuditAnchorRecorded';
export const ANCHOR_ALGORITHM = 'rfc6962-sha256:stream-heads/1';

export interface AnchorData {
  root: string;
  /** Streams covered (leaves). */
  count: number;
  /** Feed position (inclusive) up to which every stream's head is fixed. */
  coveredPosition: string;
  algorithm: typeof ANCHOR_ALGORITHM;
  /** The leaves in tree order: [streamId, revision, hash]. Proofs are built from them. */
  leaves: [string, string, string][];
  occurredAt: string;
}

export interface Anchor extends AnchorData {
  eventId: string;
  recordedAt: string;
  /** Feed position of the anchor event itself. */
  position: string;
}

export class AnchorRefusedError extends Error {
  constructor(readonly breaks: WalkBreak[]) {
    super(`the store does not verify (${breaks.length} chain break(s)); run \`npm run funnel -- audit\` first`);
    this.name = 'AnchorRefusedError';
  }
}

function isCovered(streamId: string): boolean {
  return streamId !== ANCHOR_STREAM;
}

function byStreamId(a: AnchorLeaf, b: AnchorLeaf): number {
  return a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0;
}

/** Every covered stream's head as the feed shows it up to `until`, with the chain breaks met. */
async function headsAt(store: EventStore, until: GlobalPosition): Promise<{ leaves: AnchorLeaf[]; breaks: WalkBreak[] }> {
  const breaks: WalkBreak[] = [];
  const walk = new ChainWalk(store, (b) => breaks.push(b), { until });
  await walk.readOn();
  const leaves = [...walk.streams]
    .filter(([streamId]) => isCovered(streamId))
    .map(([streamId, p]) => ({ streamId, revision: p.revision, hash: p.last.hash ?? '' }))
    .sort(byStreamId);
  return { leaves, breaks };
}

export function rootOf(leaves: readonly AnchorLeaf[]): string {
  return merkleRoot(leaves.map(leafHash)).toString('hex');
}

function leavesOf(data: AnchorData): AnchorLeaf[] {
  return data.leaves.map(([streamId, revision, hash]) => ({ streamId, revision: BigInt(revision), hash }));
}

/**
 * Computes and records an anchor over every stream up to the feed's current head. Refuses a
 * store whose chains do not verify: an anchor vouches for what it covers.
 */
export async function recordAnchor(store: EventStore, actor: { id: string; name?: string }, command = 'RecordAnchor'): Promise<Anchor> {
  const covered = await store.headPosition();
  if (!covered) throw new Error('the store is empty: nothing to anchor');
  const { leaves, breaks } = await headsAt(store, covered);
  if (breaks.length > 0) throw new AnchorRefusedError(breaks);
  const data: AnchorData = {
    root: rootOf(leaves),
    count: leaves.length,
    coveredPosition: formatPosition(covered),
    algorithm: ANCHOR_ALGORITHM,
    leaves: leaves.map((l) => [l.streamId, l.revision.toString(), l.hash]),
    occurredAt: new Date().toISOString(),
  };
  const eventId = randomUUID();
  const result = await store.appendToStream(
    ANCHOR_STREAM,
    [{ id: eventId, type: ANCHOR_RECORDED, data, metadata: { actor, command, correlationId: randomUUID(), causationId: eventId, schemaVersion: 1 } }],
    { expectedRevision: 'any' },
  );
  const [recorded] = await store.readStream(ANCHOR_STREAM, { fromRevision: result.nextExpectedRevision, maxCount: 1 });
  return toAnchor(recorded);
}

function toAnchor(event: RecordedEvent): Anchor {
  return {
    ...(event.data as AnchorData),
    eventId: event.id,
    recordedAt: event.recordedAt.toISOString(),
    position: formatPosition(event.position),
  };
}

/** The recorded anchors, newest first, read a few at a time (each carries its leaves). */
async function* anchorsNewestFirst(store: EventStore): AsyncIterable<Anchor> {
  let from: bigint | undefined;
  for (;;) {
    let page: RecordedEvent[];
    try {
      page = await store.readStream(ANCHOR_STREAM, { direction: 'backwards', fromRevision: from, maxCount: 16 });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
    for (const event of page) if (event.type === ANCHOR_RECORDED) yield toAnchor(event);
    const oldest = page[page.length - 1];
    if (page.length < 16 || !oldest || oldest.revision === 0n) return;
    from = oldest.revision - 1n;
  }
}

/** The anchor with this root, or the newest one when no root is given; null when there is none. */
export async function findAnchor(store: EventStore, root?: string): Promise<Anchor | null> {
  for await (const anchor of anchorsNewestFirst(store)) {
    if (root === undefined || anchor.root === root.toLowerCase()) return anchor;
  }
  return null;
}

export type AnchorFindingReason =
  | 'stream_lost' // a covered stream has no events up to the anchored position any more
  | 'events_lost' // the stream ends at a lower revision than anchored
  | 'events_inserted' // the stream shows more events up to the anchored position than anchored
  | 'head_changed' // same revision, another hash: an event was changed, even if the rest was re-hashed
  | 'stream_added'; // a stream the anchor did not cover appears before its position

export interface AnchorFinding {
  streamId: string;
  reason: AnchorFindingReason | WalkBreak['reason'];
  anchored: { revision: string; hash: string } | null;
  found: { revision: string; hash: string } | null;
}

export interface AnchorVerification {
  root: string;
  /** The anchor event with this root was found in the audit stream. */
  anchorFound: boolean;
  /** Its recorded leaves still reproduce the root (so its per-stream comparison can be trusted). */
  anchorRecordIntact: boolean | null;
  coveredPosition: string | null;
  anchoredCount: number | null;
  /** The root recomputed from the events up to the covered position. */
  recomputedRoot: string | null;
  count: number | null;
  verified: boolean;
  findings: AnchorFinding[];
}

/**
 * Recomputes every covered stream's head from the events up to the anchor's position and checks
 * the root against `root` (the value the auditor kept). Without the anchor event (the audit
 * stream itself may have been removed), `position` — printed with the anchor — is enough.
 */
export async function verifyAnchor(store: EventStore, root: string, options: { position?: string } = {}): Promise<AnchorVerification> {
  const expected = root.toLowerCase();
  const anchor = await findAnchor(store, expected);
  const coveredText = anchor?.coveredPosition ?? options.position ?? null;
  const base = { root: expected, anchorFound: anchor !== null, coveredPosition: coveredText, anchoredCount: anchor?.count ?? null };
  if (coveredText === null) {
    return { ...base, anchorRecordIntact: null, recomputedRoot: null, count: null, verified: false, findings: [] };
  }
  const { leaves, breaks } = await headsAt(store, parsePosition(coveredText));
  const recomputedRoot = rootOf(leaves);
  const findings: AnchorFinding[] = breaks.map((b) => ({
    streamId: b.streamId,
    reason: b.reason,
    anchored: null,
    found: { revision: b.revision.toString(), hash: '' },
  }));
  const anchorRecordIntact = anchor ? rootOf(leavesOf(anchor)) === expected : null;
  if (anchor && anchorRecordIntact) findings.push(...compareLeaves(leavesOf(anchor), leaves));
  return {
    ...base,
    anchorRecordIntact,
    recomputedRoot,
    count: leaves.length,
    verified: recomputedRoot === expected && breaks.length === 0,
    findings,
  };
}

function compareLeaves(anchored: AnchorLeaf[], current: AnchorLeaf[]): AnchorFinding[] {
  const now = new Map(current.map((l) => [l.streamId, l]));
  const show = (l: AnchorLeaf | undefined) => (l ? { revision: l.revision.toString(), hash: l.hash } : null);
  const findings: AnchorFinding[] = [];
  for (const leaf of anchored) {
    const found = now.get(leaf.streamId);
    now.delete(leaf.streamId);
    const reason: AnchorFindingReason | null = !found
      ? 'stream_lost'
      : found.revision < leaf.revision
        ? 'events_lost'
        : found.revision > leaf.revision
          ? 'events_inserted'
          : found.hash !== leaf.hash
            ? 'head_changed'
            : null;
    if (reason) findings.push({ streamId: leaf.streamId, reason, anchored: show(leaf), found: show(found) });
  }
  for (const extra of now.values()) findings.push({ streamId: extra.streamId, reason: 'stream_added', anchored: null, found: show(extra) });
  return findings;
}

export interface InclusionProof {
  anchor: Omit<Anchor, 'leaves'>;
  leaf: { streamId: string; revision: string; hash: string };
  leafHash: string;
  path: PathStep[];
}

/**
 * The Merkle path from one stream's head to the anchor's root. The leaf is the anchor's own
 * record of the stream's head; the caller puts the event the store holds now in its place when
 * it wants the proof to speak for the stored history (see the deal proof).
 */
export function inclusionProof(anchor: Anchor, streamId: string, currentHash?: string): InclusionProof | null {
  const leaves = leavesOf(anchor);
  const index = leaves.findIndex((l) => l.streamId === streamId);
  if (index < 0) return null;
  const hashes = leaves.map(leafHash);
  const leaf = { ...leaves[index], hash: currentHash ?? leaves[index].hash };
  const { leaves: _leaves, ...summary } = anchor;
  return {
    anchor: summary,
    leaf: { streamId: leaf.streamId, revision: leaf.revision.toString(), hash: leaf.hash },
    leafHash: leafHash(leaf).toString('hex'),
    path: inclusionPath(hashes, index),
  };
}
