/**
 * The "Things" view: the workspace's projects, under each its things with the active one marked.
 * Things come from ThingsCache; `refresh(projectUri)` (zaws/thingsChanged, a file change, a command
 * that changed things) reloads one project while its rows stay, `refresh()` starts over.
 */
import * as vscode from 'vscode';
import type { Api, Views } from '../commands/deps';
import { describeError } from '../core/errors';
import { folderName } from '../core/projects';
import { projectLook, thingLook, type RowLook } from '../core/treeModel';
import type { WorkspaceProjects } from '../workspaceProjects';
import type { ProjectNode, ThingNode, TreeNode } from './nodes';
import { ThingsCache } from './thingsCache';

export const VIEW_ID = 'zaws.things';
const HAS_PROJECTS = 'zaws.hasProjects';

export class ThingsTree implements vscode.TreeDataProvider<TreeNode>, Views, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private projects: ProjectNode[] | undefined;
  private readonly cache: ThingsCache;
  private readonly thingNodes = new Map<string, ThingNode[]>();
  private view: vscode.TreeView<TreeNode> | undefined;

  constructor(private readonly workspaceProjects: WorkspaceProjects, api: Api, log: vscode.LogOutputChannel) {
    this.cache = new ThingsCache(
      async (projectUri, remote) => (await api.request('zaws/listThings', remote ? { projectUri, remote } : { projectUri })).things,
      (error, projectUri) => {
        const described = describeError(error, `Listing the things of ${folderName(vscode.Uri.parse(projectUri).path)}`);
        log.warn(described.message);
        return described.message;
      },
      (projectUri) => {
        this.thingNodes.delete(projectUri);
        const node = this.projects?.find((p) => p.uri === projectUri);
        if (node) this.changed.fire(node);
      },
    );
  }

  attach(view: vscode.TreeView<TreeNode>): void {
    this.view = view;
  }

  refresh(projectUri?: string): void {
    const uri = projectUri ? normalize(projectUri) : undefined;
    if (uri && (!this.projects || this.projects.some((p) => p.uri === uri))) {
      this.cache.reload(uri);
      return;
    }
    this.projects = undefined;
    this.cache.forgetAll();
    this.thingNodes.clear();
    this.changed.fire(undefined);
  }

  /**
   * A top-level thing.conf.json was created or deleted. Tools (zaws too) replace files by rename,
   * which looks the same, so the tree starts over only when the set of projects really changed.
   */
  async projectFileAppearedOrWent(projectUri: string): Promise<void> {
    if (!this.projects) return;
    const before = this.projects.map((p) => p.uri).join('\n');
    const now = (await this.workspaceProjects.list()).map((p) => normalize(p.uri)).join('\n');
    this.refresh(now === before ? projectUri : undefined);
  }

  /** Asks AWS about every thing of every project (thing exists, certificate status). */
  async checkRemote(): Promise<void> {
    await Promise.all((await this.rootNodes()).map((p) => this.cache.checkRemote(p.uri)));
  }

  async reveal(projectUri: string, thingName?: string): Promise<void> {
    const project = (await this.rootNodes()).find((p) => p.uri === normalize(projectUri));
    if (!project || !this.view) return;
    await this.cache.load(project.uri);
    const target = thingName ? this.thingsOf(project).find((n) => n.thing.name === thingName) : undefined;
    await this.view.reveal(target ?? project, { select: true, focus: false, expand: true });
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'project') {
      const loaded = this.cache.get(node.uri);
      const look = projectLook(node.name, node.path, loaded && 'things' in loaded ? loaded.things : undefined, loaded && 'error' in loaded ? loaded.error : undefined);
      const item = toItem(look, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.uri;
      item.resourceUri = vscode.Uri.parse(node.uri);
      return item;
    }
    const item = toItem(thingLook(node.thing), vscode.TreeItemCollapsibleState.None);
    item.id = `${node.project.uri}#${node.thing.name}`;
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.rootNodes();
    if (node.kind === 'thing') return [];
    await this.cache.load(node.uri);
    return this.thingsOf(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'thing' ? node.project : undefined;
  }

  dispose(): void {
    this.cache.forgetAll();
    this.changed.dispose();
  }

  /** Thing rows, made once per loaded list (1,000 things: one allocation pass per change). */
  private thingsOf(project: ProjectNode): ThingNode[] {
    const loaded = this.cache.get(project.uri);
    if (!loaded || !('things' in loaded)) return [];
    let nodes = this.thingNodes.get(project.uri);
    if (!nodes) {
      nodes = loaded.things.map((thing) => ({ kind: 'thing', project, thing }));
      this.thingNodes.set(project.uri, nodes);
    }
    return nodes;
  }

  private async rootNodes(): Promise<ProjectNode[]> {
    if (!this.projects) {
      const found = await this.workspaceProjects.list();
      this.projects = found.map((p) => ({ kind: 'project', uri: normalize(p.uri), name: p.name, path: vscode.Uri.parse(p.uri).fsPath }));
      void vscode.commands.executeCommand('setContext', HAS_PROJECTS, this.projects.length > 0);
    }
    return this.projects;
  }
}

function toItem(look: RowLook, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(look.label, state);
  item.description = look.description;
  item.tooltip = look.tooltip;
  item.contextValue = look.contextValue;
  item.iconPath = new vscode.ThemeIcon(look.icon, look.iconColor ? new vscode.ThemeColor(look.iconColor) : undefined);
  return item;
}

function normalize(uri: string): string {
  return vscode.Uri.parse(uri).toString();
}
