export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as { __FUNNEL_EMBEDDED__?: { stop(): Promise<void> } }).__FUNNEL_EMBEDDED__;
  await db?.stop();
}
