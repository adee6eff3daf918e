/**
 * The "Things" view: the workspace's projects, under each a "Jobs" node (the FOTA jobs started from
 * the project, each with its per-thing executions) and its things with the active one marked.
 * Things come from ThingsCache; `refresh(projectUri)` (zaws/thingsChanged, a file change, a command
 * that changed things) reloads one project while its rows stay, `refresh()` starts over.
 * Jobs are fetched (zaws/listFotaJobs, asking AWS) when the Jobs node is expanded, and again on
 * `refreshJobs(projectUri)` (zaws/fotaJobsChanged, a job command, the node's refresh action).
 */
import * as vscode from 'vscode';
import type { Api, Views } from '../commands/deps';
import { describeError } from '../core/errors';
import { folderName } from '../core/projects';
import { projectLook, runningThingLook, thingLook, type RowLook } from '../core/treeModel';
import { executionLook, jobLook, jobsNodeLook, type JobRowLook } from '../core/jobsModel';
import type { FotaJobSummary } from '../core/protocol';
import type { WorkspaceProjects } from '../workspaceProjects';
import type { ExecutionNode, JobNode, JobsNode, ProjectNode, ThingNode, TreeNode } from './nodes';
import { ThingsCache } from './thingsCache';

export const VIEW_ID = 'zaws.things';
const HAS_PROJECTS = 'zaws.hasProjects';

/** What the rows show of the simulated devices (core/deviceActivity.ts). */
export interface DeviceMarks {
  isRunning(projectUri: string, thing: string): boolean;
  jobReason(jobId: string, thing: string): string | undefined;
}

export class ThingsTree implements vscode.TreeDataProvider<TreeNode>, Views, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private projects: ProjectNode[] | undefined;
  private readonly cache: ThingsCache;
  private readonly thingNodes = new Map<string, ThingNode[]>();
  private view: vscode.TreeView<TreeNode> | undefined;
  private readonly jobsNodes = new Map<string, JobsNode>();
  private readonly jobs = new Map<string, { jobs: JobNode[] } | { error: string }>();
  private readonly jobsLoading = new Map<string, Promise<void>>();
  /** The newest fetch of each project's jobs: only its answer is kept. */
  private readonly jobsToken = new Map<string, object>();
  /** Each shown job's execution rows (by project URI and job id), and the fetches under way. */
  private readonly executions = new Map<string, ExecutionNode[]>();
  private readonly executionsLoading = new Map<string, Promise<ExecutionNode[] | undefined>>();
  private devices: DeviceMarks | undefined;

  constructor(private readonly workspaceProjects: WorkspaceProjects, private readonly api: Api, private readonly log: vscode.LogOutputChannel) {
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

  showDevices(devices: DeviceMarks): void {
    this.devices = devices;
  }

  /** A project's simulated devices started or stopped: its thing rows are drawn again (no fetch). */
  devicesChanged(projectUri: string): void {
    const node = this.projects?.find((p) => p.uri === normalize(projectUri));
    if (node) this.changed.fire(node);
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
    this.jobsNodes.clear();
    this.jobs.clear();
    this.jobsLoading.clear();
    this.jobsToken.clear();
    this.executions.clear();
    this.changed.fire(undefined);
  }

  /** Fetch a project's jobs again; its Jobs node keeps showing the old rows until they arrive. */
  refreshJobs(projectUri: string): void {
    const uri = normalize(projectUri);
    const node = this.jobsNodes.get(uri);
    // Never expanded: nothing shown to update (the first expansion fetches).
    if (!node || (!this.jobs.has(uri) && !this.jobsLoading.has(uri))) return;
    void this.loadJobs(node, true).then(() => this.changed.fire(node));
  }

  /** The projects shown (none before the tree first lists them), as normal URI strings. */
  projectUris(): string[] {
    return this.projects?.map((p) => p.uri) ?? [];
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
      // A collapsed project's children are never asked for: load here too, or it says "loading…" for good.
      if (!loaded) void this.cache.load(node.uri);
      const look = projectLook(node.name, node.path, loaded && 'things' in loaded ? loaded.things : undefined, loaded && 'error' in loaded ? loaded.error : undefined);
      const item = toItem(look, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.uri;
      item.resourceUri = vscode.Uri.parse(node.uri);
      return item;
    }
    if (node.kind === 'jobs') {
      const loaded = this.jobs.get(node.project.uri);
      const look = jobsNodeLook(loaded && 'jobs' in loaded ? loaded.jobs.map((j) => j.job) : undefined, loaded && 'error' in loaded ? loaded.error : undefined);
      const item = toItem(look, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `${node.project.uri}#jobs`;
      return item;
    }
    if (node.kind === 'job') {
      const item = toItem(jobLook(node.job), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `${node.parent.project.uri}#job:${node.job.jobId}`;
      return item;
    }
    if (node.kind === 'execution') {
      const item = toItem(executionLook(node.execution, this.devices?.jobReason(node.parent.job.jobId, node.execution.thingName)), vscode.TreeItemCollapsibleState.None);
      item.id = `${node.parent.parent.project.uri}#job:${node.parent.job.jobId}#${node.execution.thingName}`;
      return item;
    }
    const running = this.devices?.isRunning(node.project.uri, node.thing.name) ?? false;
    const item = toItem(running ? runningThingLook(node.thing) : thingLook(node.thing), vscode.TreeItemCollapsibleState.None);
    item.id = `${node.project.uri}#${node.thing.name}`;
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.rootNodes();
    switch (node.kind) {
      case 'thing':
      case 'execution':
        return [];
      case 'jobs':
        return this.jobsOf(node);
      case 'job':
        return this.executionsOf(node);
      case 'project':
        await this.cache.load(node.uri);
        return [this.jobsNodeWithCount(node), ...this.thingsOf(node)];
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'project':
        return undefined;
      case 'thing':
      case 'jobs':
        return node.project;
      case 'job':
      case 'execution':
        return node.parent;
    }
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

  private jobsNodeOf(project: ProjectNode): JobsNode {
    let node = this.jobsNodes.get(project.uri);
    if (!node) {
      node = { kind: 'jobs', project };
      this.jobsNodes.set(project.uri, node);
    }
    return node;
  }

  /**
   * The Jobs node, its jobs fetched in the background the first time (so its description counts
   * them while it is still collapsed: no refresh of rows the user may be expanding).
   */
  private jobsNodeWithCount(project: ProjectNode): JobsNode {
    const node = this.jobsNodeOf(project);
    if (!this.jobs.has(project.uri) && !this.jobsLoading.has(project.uri)) {
      void this.loadJobs(node, false).then(() => {
        if (this.jobsNodes.get(project.uri) === node) this.changed.fire(node);
      });
    }
    return node;
  }

  private async jobsOf(node: JobsNode): Promise<JobNode[]> {
    const uri = node.project.uri;
    if (!this.jobs.has(uri)) await this.loadJobs(node, false);
    const loaded = this.jobs.get(uri);
    return loaded && 'jobs' in loaded ? loaded.jobs : [];
  }

  /** Fetches the jobs; when fetches overlap only the newest answer is kept. */
  private loadJobs(node: JobsNode, again: boolean): Promise<void> {
    const uri = node.project.uri;
    const pending = this.jobsLoading.get(uri);
    if (pending && !again) return pending;
    const token = {};
    const loading = (async () => {
      let result: { jobs: JobNode[] } | { error: string };
      try {
        const list = await this.api.request('zaws/listFotaJobs', { projectUri: uri });
        const newestFirst = [...list.jobs].sort((a: FotaJobSummary, b: FotaJobSummary) => b.startedAt - a.startedAt);
        // The same row object for the same job, its answer updated: a row the user is expanding while
        // devices move its executions (a fetch every few hundred ms) keeps its children.
        const before = new Map((this.jobs.get(uri) && 'jobs' in this.jobs.get(uri)! ? (this.jobs.get(uri) as { jobs: JobNode[] }).jobs : []).map((n) => [n.job.jobId, n]));
        result = {
          jobs: newestFirst.map((job): JobNode => {
            const known = before.get(job.jobId);
            if (!known || known.parent !== node) return { kind: 'job', parent: node, job };
            known.job = job;
            return known;
          }),
        };
      } catch (error) {
        const described = describeError(error, `Listing the FOTA jobs of ${node.project.name}`);
        this.log.warn(described.message);
        result = { error: described.message };
      }
      if (this.jobsToken.get(uri) === token) {
        this.jobs.set(uri, result);
        this.jobsLoading.delete(uri);
        this.jobsToken.delete(uri);
      }
    })();
    this.jobsToken.set(uri, token);
    this.jobsLoading.set(uri, loading);
    return loading;
  }

  /**
   * A job's execution rows: the last answer at once, fetched again in the background and drawn
   * again only if it changed. Live updates refresh the Jobs node every few hundred ms; had each
   * refresh waited for zaws/describeFotaJob here, two refreshes of an expanded job would overlap
   * and VS Code would refuse the second ("Element with id … is already registered"), leaving the
   * job without rows. So nothing here waits: the first expansion shows no rows until the answer
   * arrives (a fraction of a second), then the job is drawn again.
   */
  private executionsOf(node: JobNode): ExecutionNode[] {
    if (node.job.status === 'DELETED') return [];
    const key = `${node.parent.project.uri}#${node.job.jobId}`;
    const shown = this.executions.get(key);
    const drawn = (rows: ExecutionNode[]): string => JSON.stringify(rows.map((n) => n.execution));
    void this.fetchExecutions(key, node).then((fresh) => {
      if (fresh !== undefined && (shown === undefined || drawn(fresh) !== drawn(shown))) this.changed.fire(node);
    });
    return shown ?? [];
  }

  /** One describe at a time per job; the answer is kept for the next drawing (undefined: failed). */
  private fetchExecutions(key: string, node: JobNode): Promise<ExecutionNode[] | undefined> {
    const pending = this.executionsLoading.get(key);
    if (pending) return pending;
    const loading = (async () => {
      try {
        const details = await this.api.request('zaws/describeFotaJob', { jobId: node.job.jobId });
        const rows = details.executions.map((execution): ExecutionNode => ({ kind: 'execution', parent: node, execution }));
        this.executions.set(key, rows);
        return rows;
      } catch (error) {
        this.log.warn(describeError(error, `Reading FOTA job ${node.job.jobId}`).message);
        return undefined;
      } finally {
        this.executionsLoading.delete(key);
      }
    })();
    this.executionsLoading.set(key, loading);
    return loading;
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

function toItem(look: RowLook | JobRowLook, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(look.label, state);
  item.description = look.description;
  item.tooltip = look.tooltip;
  item.contextValue = look.contextValue;
  item.iconPath = new vscode.ThemeIcon(look.icon, look.iconColor ? new vscode.ThemeColor(look.iconColor) : undefined);
  return item;
}

export function normalize(uri: string): string {
  return vscode.Uri.parse(uri).toString();
}
