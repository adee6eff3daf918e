/**
 * The Messages view as the e2e sees it: its webview (an iframe in an iframe, found by the page's
 * own elements), its rows, filter, buttons and status line, and the responsiveness measurements of
 * the view under a flood of messages: frame gaps (requestAnimationFrame) in the webview and in the
 * workbench, rows shown per second, and how long the filter and Pause take to show.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';

export interface FloodFigures {
  seconds: number;
  /** Rows the page added per second (the messages it was sent). */
  rowsPerSecond: number;
  webviewLongestFrameMs: number;
  webviewP95FrameMs: number;
  workbenchLongestFrameMs: number;
  workbenchP95FrameMs: number;
}

export class MessagesPanel {
  readonly frame: FrameLocator;

  constructor(private readonly page: Page) {
    // The webview's outer iframe, then its content frame; the one whose page has the Messages rows.
    this.frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  get rows(): Locator {
    return this.frame.locator('#rows .message');
  }

  row(topic: string | RegExp, source?: string | RegExp): Locator {
    let rows = this.rows.filter({ has: this.frame.locator('.topic', { hasText: topic }) });
    if (source) rows = rows.filter({ has: this.frame.locator('.source', { hasText: source }) });
    return rows;
  }

  get filter(): Locator {
    return this.frame.locator('#filter');
  }

  get status(): Locator {
    return this.frame.locator('#status');
  }

  button(label: 'Pause' | 'Resume' | 'Clear'): Locator {
    return this.frame.locator('button', { hasText: new RegExp(`^${label}$`) });
  }

  /** Waits until the view's page is loaded (its toolbar is there). */
  async ready(): Promise<void> {
    await this.filter.waitFor({ timeout: 30_000 });
  }

  /** Types `text` as the filter and waits until every row shown has a topic matching `expected` (and at least one row). */
  async applyFilter(text: string, expected: RegExp): Promise<number> {
    const started = Date.now();
    await this.filter.fill(text);
    await this.filter.press('Enter');
    await this.frame.locator('#rows').evaluate(async (rows, pattern) => {
      const wanted = new RegExp(pattern);
      await new Promise<void>((resolve) => {
        const ok = () => rows.children.length > 0 && Array.from(rows.querySelectorAll('.topic')).every((t) => wanted.test(t.textContent ?? ''));
        if (ok()) return resolve();
        const observer = new MutationObserver(() => {
          if (ok()) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(rows, { childList: true, subtree: true });
      });
    }, expected.source);
    return Date.now() - started;
  }

  /**
   * Watches for `ms` milliseconds: the frames of the webview and of the workbench (the gaps between
   * requestAnimationFrame callbacks) and the rows the page adds.
   */
  async watchFlood(ms: number): Promise<FloodFigures> {
    const inWebview = this.frame.locator('#rows').evaluate((rows, duration) => new Promise<{ gaps: number[]; added: number }>((resolve) => {
      const gaps: number[] = [];
      let added = 0;
      const observer = new MutationObserver((records) => {
        for (const r of records) for (const n of Array.from(r.addedNodes)) if ((n as Element).classList?.contains('message')) added += 1;
      });
      observer.observe(rows, { childList: true });
      const start = performance.now();
      let last = start;
      const tick = (now: number) => {
        gaps.push(now - last);
        last = now;
        if (now - start < duration) requestAnimationFrame(tick);
        else {
          observer.disconnect();
          resolve({ gaps, added });
        }
      };
      requestAnimationFrame(tick);
    }), ms);
    const inWorkbench = this.page.evaluate((duration) => new Promise<number[]>((resolve) => {
      const gaps: number[] = [];
      const start = performance.now();
      let last = start;
      const tick = (now: number) => {
        gaps.push(now - last);
        last = now;
        if (now - start < duration) requestAnimationFrame(tick);
        else resolve(gaps);
      };
      requestAnimationFrame(tick);
    }), ms);
    const [webview, workbench] = await Promise.all([inWebview, inWorkbench]);
    return {
      seconds: ms / 1000,
      rowsPerSecond: Math.round(webview.added / (ms / 1000)),
      webviewLongestFrameMs: Math.round(Math.max(...webview.gaps)),
      webviewP95FrameMs: Math.round(percentile(webview.gaps, 0.95)),
      workbenchLongestFrameMs: Math.round(Math.max(...workbench)),
      workbenchP95FrameMs: Math.round(percentile(workbench, 0.95)),
    };
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}
