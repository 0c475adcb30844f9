#!/usr/bin/env node
// Verifies a Funnel deal proof against an anchor root you kept outside the system. No Funnel code,
// no database: only the proof (GET /v1/deals/:id/proof?anchor=<root>) and the root.
// usage: node verify-deal-proof.mjs <root> [proof.json]   (the proof is read from stdin without a file)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [root, file] = process.argv.slice(2);
const proof = JSON.parse(readFileSync(file ?? 0, 'utf8'));
const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const { streamId, revision, hash } = proof.leaf;
// leaf = SHA-256(0x00 ‖ "<streamId>\n<revision>\n<hash>"); node = SHA-256(0x01 ‖ left ‖ right)
let node = sha256(Buffer.from([0]), Buffer.from(`${streamId}\n${revision}\n${hash}`, 'utf8'));
for (const step of proof.path) {
  if (!/^[0-9a-f]{64}$/.test(step.hash) || !['left', 'right'].includes(step.side)) throw new Error('malformed proof step');
  const sibling = Buffer.from(step.hash, 'hex');
  node = step.side === 'left' ? sha256(Buffer.from([1]), sibling, node) : sha256(Buffer.from([1]), node, sibling);
}
const ok = typeof root === 'string' && node.toString('hex') === root.toLowerCase();
console.log(ok ? `VERIFIED: ${streamId} at revision ${revision} (hash ${hash}) is in anchor ${root}` : `FAILED: the proof leads to ${node.toString('hex')}, not to ${root}`);
process.exit(ok ? 0 : 1);
