/**
 * Each project's things as last fetched with zaws/listThings, kept fresh without flicker or races:
 * a reload keeps showing the old list until the new one arrives; a burst of reloads (an Add Things
 * run changes files for every thing, and the server also sends zaws/thingsChanged) becomes at most
 * one fetch per `delayMs`; when fetches overlap, only the newest one's answer is kept. The remote
 * status of things (asked for on demand: it costs AWS calls) is carried over to later local lists.
 * No `vscode` import: unit-tested with mock timers.
 */
import type { ThingInfo } from '../core/protocol';

export type Loaded = { things: ThingInfo[] } | { error: string };

export class ThingsCache {
  private readonly current = new Map<string, Loaded>();
  private readonly first = new Map<string, Promise<Loaded>>();
  private readonly newest = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private sequence = 0;

  constructor(
    private readonly fetchThings: (projectUri: string, remote: boolean) => Promise<ThingInfo[]>,
    private readonly describe: (error: unknown, projectUri: string) => string,
    private readonly onLoaded: (projectUri: string) => void,
    private readonly delayMs = 150,
  ) {}

  get(projectUri: string): Loaded | undefined {
    return this.current.get(projectUri);
  }

  /** What is known, or the first fetch (shared by concurrent callers). */
  load(projectUri: string): Promise<Loaded> {
    const known = this.current.get(projectUri);
    if (known) return Promise.resolve(known);
    let pending = this.first.get(projectUri);
    if (!pending) {
      pending = this.fetch(projectUri);
      this.first.set(projectUri, pending);
    }
    return pending;
  }

  /** Fetch again soon; a reload already due covers this one too. */
  reload(projectUri: string): void {
    if (this.timers.has(projectUri)) return;
    this.timers.set(projectUri, setTimeout(() => {
      this.timers.delete(projectUri);
      void this.fetch(projectUri);
    }, this.delayMs));
  }

  /** Fetch now, asking AWS about each thing; resolves when the answer is in. */
  async checkRemote(projectUri: string): Promise<Loaded> {
    return this.fetch(projectUri, true);
  }

  /** Drop everything; answers still in flight are ignored. */
  forgetAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.current.clear();
    this.first.clear();
    this.newest.clear();
  }

  private async fetch(projectUri: string, remote = false): Promise<Loaded> {
    const id = ++this.sequence;
    this.newest.set(projectUri, id);
    let result: Loaded;
    try {
      result = { things: withKnownRemote(await this.fetchThings(projectUri, remote), this.current.get(projectUri)) };
    } catch (error) {
      result = { error: this.describe(error, projectUri) };
    }
    if (this.newest.get(projectUri) === id) {
      this.current.set(projectUri, result);
      this.first.delete(projectUri);
      this.onLoaded(projectUri);
    }
    return result;
  }
}

/**
 * The remote status known for a thing is carried over, unless zaws changed the thing's certificate
 * since (revoked, deactivated, activated, or rotated to another one): then what AWS said before is
 * stale.
 */
function withKnownRemote(things: ThingInfo[], before: Loaded | undefined): ThingInfo[] {
  if (!before || !('things' in before) || !before.things.some((t) => t.remote)) return things;
  const known = new Map(before.things.filter((t) => t.remote).map((t) => [t.name, t]));
  return things.map((t) => {
    const old = known.get(t.name);
    if (t.remote || !old || old.certArn !== t.certArn || (old.certificateStatus ?? null) !== (t.certificateStatus ?? null)) return t;
    return { ...t, remote: old.remote };
  });
}
