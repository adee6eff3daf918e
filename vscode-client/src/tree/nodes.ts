/**
 * The two kinds of rows in the things tree, and how a command invoked from a row (or from the
 * palette, with no row) finds the project and the thing it acts on.
 */
import type { ThingInfo } from '../core/protocol';

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

export type TreeNode = ProjectNode | ThingNode;

export function isNode(value: unknown): value is TreeNode {
  const kind = (value as { kind?: unknown } | undefined)?.kind;
  return kind === 'project' || kind === 'thing';
}

export function projectUriOf(arg: unknown): string | undefined {
  if (!isNode(arg)) return undefined;
  return arg.kind === 'project' ? arg.uri : arg.project.uri;
}

export function thingOf(arg: unknown): ThingInfo | undefined {
  return isNode(arg) && arg.kind === 'thing' ? arg.thing : undefined;
}
