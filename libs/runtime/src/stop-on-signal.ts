/**
 * Ctrl-C / SIGTERM: close the Nest app (runners finish their batch in flight), then stop the
 * embedded database if this process started it, then exit. A second signal does not race it.
 */
export function stopOnSignal(
  steps: { close(): Promise<void> }[],
  say: (message: string) => void,
  what = 'stopping',
): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: ${what}`);
    for (const step of steps) await step.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
