/**
 * A tiny step runner: named steps run in order, each with a screenshot on failure; the first
 * failure stops the run (later steps build on earlier ones). Ends with "e2e: N passed, N failed".
 */
export interface Step {
  name: string;
  run(): Promise<void>;
}

export async function runSteps(steps: Step[], onFailure: (step: Step, error: unknown) => Promise<void>): Promise<boolean> {
  let passed = 0;
  let failed = 0;
  for (const step of steps) {
    const started = Date.now();
    try {
      await step.run();
      passed += 1;
      console.log(`ok ${passed + failed} - ${step.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`not ok ${passed + failed} - ${step.name} (${Date.now() - started} ms)`);
      console.log(`  ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.replace(/\n/g, '\n  '));
      await onFailure(step, error).catch((e: unknown) => console.log(`  (collecting failure artifacts failed: ${String(e)})`));
      break;
    }
  }
  const skipped = steps.length - passed - failed;
  console.log(`e2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0 && skipped === 0;
}

export function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}
