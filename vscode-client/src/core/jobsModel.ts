/**
 * What the Jobs rows of the things tree show, from the server's FOTA answers: the "Jobs" node of a
 * project, a row per job (status icon, counts, tooltip) and a row per thing execution; and the text
 * of a job's description and of a verification. Pure, tested without VS Code.
 */
import type { FotaExecution, FotaJobCounts, FotaJobDetails, FotaJobSummary, FotaVerification } from './protocol';

export interface JobRowLook {
  label: string;
  description?: string;
  tooltip: string;
  icon: string;
  iconColor?: string;
  contextValue: string;
}

/** The job states in which executions may still run: Cancel applies. */
const ACTIVE_STATUSES = new Set(['IN_PROGRESS', 'QUEUED', 'SCHEDULED']);

export function isActiveJob(status: string | null): boolean {
  return status !== null && ACTIVE_STATUSES.has(status);
}

const COUNT_NAMES: [keyof FotaJobCounts, string][] = [
  ['queued', 'queued'],
  ['inProgress', 'in progress'],
  ['succeeded', 'succeeded'],
  ['failed', 'failed'],
  ['rejected', 'rejected'],
  ['canceled', 'canceled'],
  ['timedOut', 'timed out'],
  ['removed', 'removed'],
];

/** `{queued: 2, succeeded: 1}` as "2 queued · 1 succeeded"; zeros left out. */
export function countsText(counts: FotaJobCounts): string {
  return COUNT_NAMES.filter(([key]) => (counts[key] ?? 0) > 0).map(([key, name]) => `${counts[key]} ${name}`).join(' · ');
}

/** IN_PROGRESS as "in progress". */
export function statusText(status: string | null): string {
  return status === null ? 'status unknown' : status.toLowerCase().replace(/_/g, ' ');
}

const JOB_ICONS: Record<string, { icon: string; color?: string }> = {
  QUEUED: { icon: 'clock' },
  SCHEDULED: { icon: 'clock' },
  IN_PROGRESS: { icon: 'sync', color: 'charts.blue' },
  COMPLETED: { icon: 'pass', color: 'testing.iconPassed' },
  CANCELED: { icon: 'circle-slash', color: 'disabledForeground' },
  DELETION_IN_PROGRESS: { icon: 'trash' },
  DELETED: { icon: 'close', color: 'disabledForeground' },
};

export function jobIcon(status: string | null): { icon: string; color?: string } {
  return (status && JOB_ICONS[status]) || { icon: 'question' };
}

const EXECUTION_ICONS: Record<string, { icon: string; color?: string }> = {
  QUEUED: { icon: 'clock' },
  IN_PROGRESS: { icon: 'sync', color: 'charts.blue' },
  SUCCEEDED: { icon: 'pass', color: 'testing.iconPassed' },
  FAILED: { icon: 'error', color: 'testing.iconFailed' },
  REJECTED: { icon: 'error', color: 'testing.iconFailed' },
  TIMED_OUT: { icon: 'watch', color: 'problemsWarningIcon.foreground' },
  CANCELED: { icon: 'circle-slash', color: 'disabledForeground' },
  REMOVED: { icon: 'close', color: 'disabledForeground' },
};

export function jobsNodeLook(jobs: FotaJobSummary[] | undefined, error?: string): JobRowLook {
  let description: string | undefined;
  if (error) description = 'unavailable';
  else if (jobs) {
    const running = jobs.filter((j) => isActiveJob(j.status)).length;
    description = `${jobs.length} ${jobs.length === 1 ? 'job' : 'jobs'}${running ? ` · ${running} running` : ''}`;
  }
  return {
    label: 'Jobs',
    description,
    tooltip: error ? `FOTA jobs started from this project\n${error}` : 'FOTA jobs started from this project',
    icon: error ? 'warning' : 'cloud-upload',
    contextValue: 'zaws.jobs',
  };
}

export function jobLook(job: FotaJobSummary): JobRowLook {
  const counts = countsText(job.counts);
  const { icon, color } = jobIcon(job.status);
  const target = job.thingGroup ? `thing group ${job.thingGroup}` : `${job.things.length} ${job.things.length === 1 ? 'thing' : 'things'}`;
  const tooltip = [
    job.jobId,
    `status: ${statusText(job.status)}`,
    `started: ${new Date(job.startedAt * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`,
    `target: ${target}${job.things.length && job.things.length <= 10 ? ` (${job.things.join(', ')})` : ''}`,
    counts ? `executions: ${counts}` : undefined,
  ].filter(Boolean).join('\n');
  return {
    label: job.jobId,
    description: [statusText(job.status), counts].filter(Boolean).join(' · '),
    tooltip,
    icon,
    iconColor: color,
    contextValue: isActiveJob(job.status) ? 'zaws.job.active' : 'zaws.job.done',
  };
}

/** What the device said about its execution: its `reason`, else every detail as `key: value`. */
export function statusDetailsText(details: Record<string, string> | null): string | undefined {
  if (!details || Object.keys(details).length === 0) return undefined;
  return details.reason ?? Object.entries(details).map(([key, value]) => `${key}: ${value}`).join(', ');
}

/**
 * `reason`: why the execution ended as it did, when a simulated device's job event just said it;
 * otherwise what the device reported to AWS (statusDetails).
 */
export function executionLook(execution: FotaExecution, liveReason?: string): JobRowLook {
  const reason = liveReason ?? statusDetailsText(execution.statusDetails);
  const { icon, color }: { icon: string; color?: string } = EXECUTION_ICONS[execution.status] ?? { icon: 'circle-outline' };
  return {
    label: execution.thingName,
    description: [statusText(execution.status), reason].filter(Boolean).join(' · '),
    tooltip: [
      execution.thingName,
      `status: ${statusText(execution.status)}`,
      reason ? `reason: ${reason}` : undefined,
      execution.lastUpdated ? `updated: ${execution.lastUpdated}` : undefined,
    ].filter(Boolean).join('\n'),
    icon,
    iconColor: color,
    contextValue: 'zaws.jobExecution',
  };
}

/** A job's details as a markdown document (with the raw answer as JSON at the end). */
export function jobDetailsMarkdown(details: FotaJobDetails): string {
  const lines = [
    `# FOTA job ${details.jobId}`,
    '',
    `- Status: ${statusText(details.status)}`,
    `- Created: ${details.createdAt ?? 'unknown'}`,
    `- ARN: ${details.jobArn}`,
    `- Targets: ${details.targets.join(', ') || 'none'}`,
    `- URL validity: ${details.urlValidity === null ? 'unknown' : `${details.urlValidity} s`}`,
    `- Rollout: ${Object.keys(details.rollout).length ? JSON.stringify(details.rollout) : 'no limit'}`,
    `- Abort rule: ${Object.keys(details.abort).length ? JSON.stringify(details.abort) : 'none'}`,
    `- Executions: ${countsText(details.counts) || 'none counted'}`,
    '',
    '| Thing | Status | Updated | Device said |',
    '| --- | --- | --- | --- |',
    ...details.executions.map((e) => `| ${e.thingName} | ${statusText(e.status)} | ${e.lastUpdated ?? ''} | ${statusDetailsText(e.statusDetails) ?? ''} |`),
    '',
    '```json',
    JSON.stringify(details, null, 2),
    '```',
    '',
  ];
  return lines.join('\n');
}

/** One line for a notification: "verified: all 9 checks passed" or "2 problems: ...". */
export function verificationSummary(v: FotaVerification): string {
  const errors = v.findings.filter((f) => f.severity === 'error');
  const warnings = v.findings.filter((f) => f.severity === 'warning');
  if (v.ok && warnings.length === 0) return `verified: all ${v.passed.length} checks passed.`;
  if (v.ok) return `verified with ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}: ${warnings[0]!.message}`;
  return `verification found ${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}: ${errors[0]!.message}`;
}

export function verificationMarkdown(v: FotaVerification): string {
  const lines = [
    `# Verification of FOTA job ${v.jobId}`,
    '',
    v.ok ? 'Devices can run this job.' : 'Devices would fail on this job: fix the problems below and start it again.',
    '',
  ];
  if (v.findings.length) {
    lines.push('## Findings', '');
    for (const f of v.findings) lines.push(`- **${f.severity}** \`${f.check}\`: ${f.message}`, `  - what to do: ${f.hint}`);
    lines.push('');
  }
  lines.push('## Passed checks', '', ...(v.passed.length ? v.passed.map((p) => `- ${p}`) : ['- none']), '');
  if (v.documentSource) lines.push(`Job document: ${v.documentSource}`, '');
  return lines.join('\n');
}
