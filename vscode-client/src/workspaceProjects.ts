/**
 * The zaws projects of the open workspace (folders with a top-level thing.conf.json), and a watcher
 * that reports when one appears, disappears or changes on disk (also when the CLI changes it).
 */
import * as vscode from 'vscode';
import type { Project, Projects } from './commands/deps';
import { EXCLUDE_GLOB, folderName, PROJECT_GLOB, projectFolders, projectOfThingFile, projectsDeletedWith } from './core/projects';

const MAX_PROJECTS = 500;

export class WorkspaceProjects implements Projects {
  async list(): Promise<Project[]> {
    const files = await vscode.workspace.findFiles(PROJECT_GLOB, EXCLUDE_GLOB, MAX_PROJECTS);
    const byPath = new Map(files.map((f) => [f.path, f]));
    return projectFolders([...byPath.keys()]).map((path) => {
      const uri = byPath.get(`${path}/thing.conf.json`)!.with({ path });
      return { uri: uri.toString(), name: folderName(path) };
    });
  }

  defaultParent(): string | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri.toString();
  }

  isInWorkspace(uri: string): boolean {
    return vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(uri)) !== undefined;
  }

  addToWorkspace(uri: string): void {
    const count = vscode.workspace.workspaceFolders?.length ?? 0;
    vscode.workspace.updateWorkspaceFolders(count, 0, { uri: vscode.Uri.parse(uri) });
  }

  /**
   * Reports file changes: `things(projectUri)` when a project's things or active thing changed,
   * `appearedOrWent(projectUri)` when a top-level thing.conf.json was created or deleted, or when
   * a deleted folder was one of the `known` projects (the ones shown) or held one: a watcher often
   * reports only the folder of an `rm -rf`, not the thing.conf.json in it. Other deletions cost a
   * string comparison per known project, and no refresh.
   */
  watch(on: { things: (projectUri: string) => void; appearedOrWent: (projectUri: string) => void }, known: () => readonly string[]): vscode.Disposable {
    const conf = vscode.workspace.createFileSystemWatcher(PROJECT_GLOB);
    const state = vscode.workspace.createFileSystemWatcher('**/.zawsconf');
    const deletions = vscode.workspace.createFileSystemWatcher('**', true, true, false);
    const changed = (file: vscode.Uri, created: boolean): void => {
      const project = projectOfThingFile(file.path);
      if (project !== undefined) on.things(file.with({ path: project }).toString());
      else if (created) on.appearedOrWent(vscode.Uri.joinPath(file, '..').toString());
      else on.things(vscode.Uri.joinPath(file, '..').toString());
    };
    const deleted = (uri: vscode.Uri): void => {
      const gone = projectsDeletedWith(uri.toString(), known());
      if (gone.length > 0) on.appearedOrWent(gone[0]!);
    };
    return vscode.Disposable.from(
      conf,
      state,
      deletions,
      deletions.onDidDelete(deleted),
      conf.onDidCreate((file) => changed(file, true)),
      conf.onDidDelete((file) => changed(file, true)),
      conf.onDidChange((file) => changed(file, false)),
      state.onDidCreate((file) => changed(file, false)),
      state.onDidChange((file) => changed(file, false)),
      state.onDidDelete((file) => changed(file, false)),
    );
  }
}
