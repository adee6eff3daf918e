/**
 * The kinds of rows in the things tree (a project; under it its "Jobs" node and its things; under
 * Jobs a row per FOTA job, under a job a row per thing execution), and how a command invoked from a
 * row (or from the palette, with no row) finds the project, the thing or the job it acts on.
 */
import type { FotaExecution, FotaJobSummary, ThingInfo } from '../core/protocol';
import type { JobRef } from '../commands/fotaJobs';

export interface ProjectNode {
  kind: 'project';
  uri: string;
  name: string;
  path: string;
}

export interface ThingNode {
  kind: 'thing';
  project: ProjectNode;
  thing: ThingInfo;
}

export interface JobsNode {
  kind: 'jobs';
  project: ProjectNode;
}

export interface JobNode {
  kind: 'job';
  parent: JobsNode;
  job: FotaJobSummary;
}

export interface ExecutionNode {
  kind: 'execution';
  parent: JobNode;
  execution: FotaExecution;
}

export type TreeNode = ProjectNode | ThingNode | JobsNode | JobNode | ExecutionNode;

const KINDS = new Set(['project', 'thing', 'jobs', 'job', 'execution']);

export function isNode(value: unknown): value is TreeNode {
  const kind = (value as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' && KINDS.has(kind);
}

export function projectOf(node: TreeNode): ProjectNode {
  switch (node.kind) {
    case 'project':
      return node;
    case 'thing':
    case 'jobs':
      return node.project;
    case 'job':
      return node.parent.project;
    case 'execution':
      return node.parent.parent.project;
  }
}

export function projectUriOf(arg: unknown): string | undefined {
  return isNode(arg) ? projectOf(arg).uri : undefined;
}

export function thingOf(arg: unknown): ThingInfo | undefined {
  return isNode(arg) && arg.kind === 'thing' ? arg.thing : undefined;
}

/** The job of a job row (or of one of its execution rows). */
export function jobOf(arg: unknown): JobRef | undefined {
  if (!isNode(arg)) return undefined;
  const jobNode = arg.kind === 'job' ? arg : arg.kind === 'execution' ? arg.parent : undefined;
  return jobNode ? { projectUri: jobNode.parent.project.uri, job: jobNode.job } : undefined;
}

/**
 * The things a row command acts on: with canSelectMany VS Code passes the clicked row and the
 * selection. The selection counts when it holds the clicked row (else the click was outside it);
 * only thing rows of the clicked row's project are kept.
 */
export function selectedThings(clicked: unknown, selection: unknown): { projectUri: string; things: ThingInfo[] } | undefined {
  if (!isNode(clicked) || clicked.kind !== 'thing') return undefined;
  const project = clicked.project.uri;
  const rows = Array.isArray(selection) ? selection.filter(isNode) : [];
  const inSelection = rows.some((n) => n === clicked || (n.kind === 'thing' && n.project.uri === project && n.thing.name === clicked.thing.name));
  const chosen = inSelection ? rows.filter((n): n is ThingNode => n.kind === 'thing' && n.project.uri === project) : [clicked];
  return { projectUri: project, things: chosen.map((n) => n.thing) };
}
