/**
 * The Merkle tree of an anchor, shaped as Certificate Transparency's (RFC 6962 §2.1): leaves
 * and nodes hashed with distinct prefixes (0x00, 0x01) so a node can never pass for a leaf, and
 * an uneven tree split at the largest power of two below its size (no duplicated leaves, whose
 * ambiguity let Bitcoin's trees be forged). A leaf is one stream's head: id, revision, hash.
 */
import { createHash } from 'node:crypto';

export interface AnchorLeaf {
  streamId: string;
  revision: bigint;
  /** The chain hash of the stream's event at `revision`. */
  hash: string;
}

/** One step from a leaf towards the root: hash the sibling on this side with the node so far. */
export interface PathStep {
  side: 'left' | 'right';
  hash: string;
}

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

/** The leaf's bytes are "<streamId>\n<revision>\n<hash>": simple enough to rebuild by hand. */
export function leafHash(leaf: AnchorLeaf): Buffer {
  const bytes = Buffer.from(`${leaf.streamId}\n${leaf.revision.toString()}\n${leaf.hash}`, 'utf8');
  return createHash('sha256').update(LEAF_PREFIX).update(bytes).digest();
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** Largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The root over leaf hashes in order; the hash of nothing for an empty tree. */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  // Bottom-up, level by level, is the same tree as RFC 6962's recursive split: a left subtree
  // always holds a power of two of leaves, so an odd node at a level's end is carried up.
  let level = [...leaves];
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

/** The audit path of leaf `index` (RFC 6962 PATH), deepest sibling first. */
export function inclusionPath(leaves: readonly Buffer[], index: number): PathStep[] {
  if (index < 0 || index >= leaves.length) throw new RangeError(`no leaf ${index} among ${leaves.length}`);
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  if (index < k) {
    return [...inclusionPath(leaves.slice(0, k), index), { side: 'right', hash: merkleRoot(leaves.slice(k)).toString('hex') }];
  }
  return [...inclusionPath(leaves.slice(k), index - k), { side: 'left', hash: merkleRoot(leaves.slice(0, k)).toString('hex') }];
}

/** Folds a path from a leaf hash up: the root it implies. */
export function rootFromPath(leaf: Buffer, path: readonly PathStep[]): Buffer {
  return path.reduce(
    (node, step) => (step.side === 'left' ? nodeHash(Buffer.from(step.hash, 'hex'), node) : nodeHash(node, Buffer.from(step.hash, 'hex'))),
    leaf,
  );
}
