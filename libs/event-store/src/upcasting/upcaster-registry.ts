/**
 * Upcasters: an event stored under an older schema version is upgraded in memory, one version
 * at a time, before `evolve` or a projection sees it. Stored events are never rewritten — the
 * hash chain covers the stored form — so every reader upgrades on the way in.
 */
export interface Upcaster {
  type: string;
  /** The version this upcaster reads; it produces `fromVersion + 1`. */
  fromVersion: number;
  upcast(data: unknown): unknown;
}

/** What an upcaster needs of an event: its type, data and the schema version in its metadata. */
export interface VersionedEvent {
  type: string;
  data: unknown;
  metadata: { schemaVersion?: number; [key: string]: unknown };
}

export class UpcasterRegistry {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  constructor(upcasters: readonly Upcaster[]) {
    for (const u of upcasters) {
      const steps = this.byType.get(u.type) ?? new Map<number, Upcaster>();
      if (steps.has(u.fromVersion)) throw new Error(`two upcasters for ${u.type} v${u.fromVersion}`);
      steps.set(u.fromVersion, u);
      this.byType.set(u.type, steps);
    }
  }

  /** The newest schema version the registry upgrades `type` to (1 without upcasters). */
  currentVersion(type: string): number {
    const steps = this.byType.get(type);
    return steps ? Math.max(...steps.keys()) + 1 : 1;
  }

  /**
   * The event with its data at the current version and `metadata.schemaVersion` saying so; the
   * same object when nothing needed upgrading. Events without a version are version 1.
   */
  upcast<E extends VersionedEvent>(event: E): E {
    const steps = this.byType.get(event.type);
    if (!steps) return event;
    let version = event.metadata.schemaVersion ?? 1;
    let data = event.data;
    for (let step = steps.get(version); step; step = steps.get(version)) {
      data = step.upcast(data);
      version += 1;
    }
    if (data === event.data) return event;
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
  }
}
