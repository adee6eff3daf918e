/**
 * Turns LSP work-done progress (begin/report/end, absolute percentages) into what a VS Code progress
 * notification wants (a message and an increment since the last report). When the caller knows how
 * many items the request handles, the message starts with the count done so far ("12/200").
 */

export interface WorkDoneValue {
  kind: 'begin' | 'report' | 'end';
  title?: string;
  message?: string;
  percentage?: number;
}

export interface ProgressStep {
  message?: string;
  increment?: number;
}

export class ProgressTranslator {
  private last = 0;

  constructor(private readonly total?: number) {}

  step(value: WorkDoneValue): ProgressStep | undefined {
    if (value.kind === 'end') return undefined;
    const step: ProgressStep = {};
    if (typeof value.percentage === 'number') {
      const pct = Math.min(100, Math.max(0, value.percentage));
      if (pct > this.last) {
        step.increment = pct - this.last;
        this.last = pct;
      }
    }
    const count = this.total ? `${Math.round((this.last * this.total) / 100)}/${this.total}` : undefined;
    if (value.message !== undefined || (count && step.increment !== undefined)) {
      step.message = [count, value.message].filter(Boolean).join(' · ');
    }
    return step.message === undefined && step.increment === undefined ? undefined : step;
  }
}
