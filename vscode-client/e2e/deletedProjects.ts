/**
 * Project folders deleted behind VS Code's back (`rm -rf` in a terminal, a script, the CLI): the
 * file watcher often reports only the deleted folder, not the thing.conf.json in it, and the tree
 * must still drop the project. Two cases: a project's own folder (the 1,000-thing fleet, deleted at
 * once), and a folder that holds a project one level down. Each is deleted with Node's fs.rmSync,
 * then the row must leave the tree within a bound (printed); the other projects stay.
 * Run last of the tree's steps: the deleted projects are throw-away ones no later step needs.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Step } from './steps';
import type { Workbench } from './workbench';

const GONE_WITHIN_MS = 10_000;
/** The throw-away project inside a folder of its own, deleted by deleting that folder. */
const HOLDER = 'old-projects';
const NESTED = 'scratch';

export interface DeletedProjectsContext {
  workspace: string;
  /** A project of the workspace shown in the tree, deleted by deleting its folder. */
  project: string;
  /** A project that stays. */
  kept: string;
  /** Makes a new project (from zaws's template) at a folder path. */
  createProject(folder: string): Promise<unknown>;
}

export function deletedProjectsSteps(wb: Workbench, ctx: DeletedProjectsContext): Step[] {
  /** Deletes `folder` from disk and waits until the row of project `label` has left the tree. */
  const deleteAndWaitGone = async (folder: string, label: string, shot: string): Promise<void> => {
    // Shown (not only attached) first, so "detached" below means it went, not that it was never drawn.
    await wb.treeRow(label).waitFor({ state: 'visible' });
    await wb.clearNotifications();
    rmSync(folder, { recursive: true, force: true });
    const deletedAt = Date.now();
    await wb.treeRow(label).waitFor({ state: 'detached', timeout: GONE_WITHIN_MS });
    console.log(`  ${label}'s row left the tree ${Date.now() - deletedAt} ms after its folder was deleted (bound: ${GONE_WITHIN_MS} ms)`);
    // The tree started over: the other project is listed again, its things counted.
    await wb.treeRow(ctx.kept).locator('.label-description', { hasText: /^\d+ things?( · |$)/ }).waitFor();
    await wb.screenshot(shot);
  };
  return [
    {
      name: 'a project folder deleted from disk (rm -rf, no thing.conf.json event): its row leaves the tree, the others stay',
      async run() {
        await deleteAndWaitGone(join(ctx.workspace, ctx.project), ctx.project, 'project-folder-deleted');
      },
    },
    {
      name: 'a folder holding a project deleted from disk: the project\'s row leaves the tree',
      async run() {
        const holder = join(ctx.workspace, HOLDER);
        mkdirSync(holder, { recursive: true });
        await ctx.createProject(join(holder, NESTED));
        await wb.treeRow(NESTED).waitFor();
        await deleteAndWaitGone(holder, NESTED, 'project-parent-folder-deleted');
      },
    },
  ];
}
