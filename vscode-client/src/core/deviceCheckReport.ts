/**
 * What Check Device Connection shows: one line for the notification (every step passed, or the
 * first that failed in the server's words) and the whole answer as a markdown document (each step,
 * the policy's refusals that explain a failure, AWS's TestAuthorization answers). Pure.
 */
import type { DeviceCheck } from './deviceProtocol';

export function deviceCheckSummary(check: DeviceCheck): string {
  if (check.ok) return `${check.thing} connects and may do what its firmware does (${check.steps.map((s) => s.name).join(', ')}).`;
  const failed = check.steps.filter((s) => !s.ok);
  const first = failed[0];
  const count = failed.length === 1 ? '1 check failed' : `${failed.length} checks failed`;
  return `${check.thing}: ${count}. ${first ? `${first.name}: ${first.words}` : ''}`.trim();
}

export function deviceCheckMarkdown(check: DeviceCheck): string {
  const lines = [
    `# Connection check of ${check.thing}`,
    '',
    check.ok ? 'Every step passed: a board with these files connects and may do what the Zerynth template and library do.' : 'A board with these files would fail where marked below.',
    '',
    `- Endpoint: ${check.endpoint}`,
    `- Client id: ${check.clientId}`,
    '',
    '| Step | Result | What happened |',
    '| --- | --- | --- |',
    ...check.steps.map((s) => `| ${s.name} | ${s.ok ? 'passed' : '**failed**'} | ${s.words.replace(/\|/g, '\\|')} |`),
    '',
  ];
  const refused = check.steps.filter((s) => s.why.length);
  if (refused.length) {
    lines.push('## Why the policy refused', '');
    for (const s of refused) for (const why of s.why) lines.push(`- ${s.name}: ${why}`);
    lines.push('');
  }
  if (check.authorization.length) lines.push('## AWS IoT TestAuthorization', '', ...check.authorization.map((a) => `- ${a}`), '');
  return lines.join('\n');
}
