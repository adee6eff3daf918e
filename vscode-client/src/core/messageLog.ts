/**
 * The Messages view's messages, kept in the extension host so they outlive the webview (hidden,
 * moved, reloaded): a bounded buffer (the oldest go first, counted), the filter, pause and clear,
 * and what the webview needs next: nothing, the new messages to append, or everything shown again
 * (after it was re-created, resumed, filtered or cleared). Pure: no `vscode`, no timers; the view
 * asks `nextUpdate` at its own pace, so a burst of messages becomes one post.
 */
import { matchesFilter, type MessageEntry } from './messages';

export const DEFAULT_CAPACITY = 5000;

export type LogUpdate = { kind: 'reset'; entries: MessageEntry[] } | { kind: 'append'; entries: MessageEntry[] };

export interface LogStatus {
  /** Messages kept (the buffer). */
  kept: number;
  /** Kept messages that pass the filter. */
  matching: number;
  /** Dropped because the buffer was full. */
  dropped: number;
  paused: boolean;
  /** Arrived since the pause (kept, not shown yet). */
  heldWhilePaused: number;
  filter: string;
}

export class MessageLog {
  private entries: MessageEntry[] = [];
  private pending: MessageEntry[] = [];
  private needsReset = true;
  private dropped = 0;
  private matching = 0;
  private paused = false;
  private held = 0;
  /** The last message before the pause: a paused view shows nothing newer, even when re-created. */
  private pausedAfter = 0;
  private filter = '';

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  add(entry: MessageEntry): void {
    this.entries.push(entry);
    const passes = matchesFilter(entry, this.filter);
    if (passes) this.matching += 1;
    if (this.entries.length > this.capacity) {
      const gone = this.entries.shift()!;
      this.dropped += 1;
      if (matchesFilter(gone, this.filter)) this.matching -= 1;
    }
    if (this.paused) this.held += 1;
    else if (passes && !this.needsReset) this.pending.push(entry);
  }

  setFilter(text: string): void {
    if (text === this.filter) return;
    this.filter = text;
    this.matching = this.entries.filter((e) => matchesFilter(e, text)).length;
    this.resetView();
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.pausedAfter = this.entries.at(-1)?.seq ?? 0;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.held = 0;
    this.resetView();
  }

  clear(): void {
    this.entries = [];
    this.matching = 0;
    this.dropped = 0;
    this.held = 0;
    this.resetView();
  }

  /** The webview starts over (it was re-created): everything shown is sent again. */
  resetView(): void {
    this.pending = [];
    this.needsReset = true;
  }

  /**
   * What the webview should do now, at most `limit` messages (the newest; the oldest first), or
   * undefined when it is up to date. Paused: nothing new until resumed (a reset shows what was
   * there at the pause).
   */
  nextUpdate(limit: number): LogUpdate | undefined {
    if (this.needsReset) {
      this.needsReset = false;
      this.pending = [];
      return { kind: 'reset', entries: this.lastMatching(limit) };
    }
    if (this.pending.length === 0) return undefined;
    const entries = this.pending.length > limit ? this.pending.slice(-limit) : this.pending;
    this.pending = [];
    return { kind: 'append', entries };
  }

  status(): LogStatus {
    return { kept: this.entries.length, matching: this.matching, dropped: this.dropped, paused: this.paused, heldWhilePaused: this.held, filter: this.filter };
  }

  private lastMatching(limit: number): MessageEntry[] {
    const found: MessageEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && found.length < limit; i--) {
      const entry = this.entries[i]!;
      if (this.paused && entry.seq > this.pausedAfter) continue;
      if (matchesFilter(entry, this.filter)) found.push(entry);
    }
    return found.reverse();
  }
}
