import { createHash } from 'node:crypto';
import { AnchorLeaf, inclusionPath, leafHash, merkleRoot, rootFromPath } from './merkle-tree';

const leaves = (n: number): AnchorLeaf[] =>
  Array.from({ length: n }, (_, i) => ({ streamId: `deal-${i}`, revision: BigInt(i % 3), hash: createHash('sha256').update(String(i)).digest('hex') }));

/** RFC 6962 §2.1 MTH, written out recursively as the RFC states it. */
function rfcRoot(hashes: Buffer[]): Buffer {
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return createHash('sha256').update(Buffer.from([1])).update(rfcRoot(hashes.slice(0, k))).update(rfcRoot(hashes.slice(k))).digest();
}

describe('anchor Merkle tree', () => {
  it('is the RFC 6962 tree for every size from 1 to 33', () => {
    for (let n = 1; n <= 33; n++) {
      const hashes = leaves(n).map(leafHash);
      expect(merkleRoot(hashes).toString('hex')).toBe(rfcRoot(hashes).toString('hex'));
    }
  });

  it('gives every leaf a path to the root, and no path survives a changed leaf or step', () => {
    for (const n of [1, 2, 3, 5, 8, 13]) {
      const all = leaves(n);
      const hashes = all.map(leafHash);
      const root = merkleRoot(hashes);
      all.forEach((leaf, i) => {
        const path = inclusionPath(hashes, i);
        expect(rootFromPath(leafHash(leaf), path).equals(root)).toBe(true);
        const changed = leafHash({ ...leaf, revision: leaf.revision + 1n });
        expect(rootFromPath(changed, path).equals(root)).toBe(false);
        if (path.length > 0) {
          const flipped = path.map((s, j) => (j === 0 ? { ...s, side: s.side === 'left' ? ('right' as const) : ('left' as const) } : s));
          expect(rootFromPath(leafHash(leaf), flipped).equals(root)).toBe(false);
        }
      });
    }
  });
});
