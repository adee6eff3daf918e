/**
 * What the client knows of the server's simulated devices, from the answers of zaws/startDevices,
 * stopDevices and listDevices and from zaws/deviceEvent: which things run (their rows get the
 * running mark), each event as a row of the Messages view (a `published` or `command` one as a
 * message on its topic, the others as notes), and the reason a device gave for failing or
 * rejecting a job (shown on the execution's row). A device's `job` event makes the project's Jobs
 * node fetch again, an `error` or `disconnected` one asks listDevices whether it still runs; both
 * at most once per `delayMs` per project, so a fleet's burst is one fetch. The server stays the
 * one that knows: this only remembers what it said. No `vscode` import: tested with mock timers.
 */
import { MAY_END_EVENTS, type DeviceEventParams, type DevicesStarted, type DevicesStopped, type SimulatedDevice } from './deviceProtocol';
import type { MessageEntry } from './messages';

export interface DeviceActivityHooks {
  /** A project's running things changed: its thing rows look different. */
  runningChanged(projectUri: string): void;
  /** A device moved one of the project's job executions. */
  jobsMoved(projectUri: string): void;
  /** Ask the server which of the project's devices still run (then call `listed`). */
  relist(projectUri: string): void;
  message(entry: Omit<MessageEntry, 'seq'>): void;
}

/** The Messages view's source for a device's events. */
export function deviceSource(thing: string): string {
  return `${thing} (simulated)`;
}

/** A device event as a row of the Messages view. */
export function deviceEventEntry(event: DeviceEventParams): Omit<MessageEntry, 'seq'> {
  const parsed = Date.parse(event.time);
  const at = Number.isNaN(parsed) ? Date.now() : parsed;
  const topic = typeof event.data.topic === 'string' ? event.data.topic : undefined;
  if (topic && event.kind === 'published') return { topic, at, payload: event.data.payload, source: deviceSource(event.thing) };
  if (topic && event.kind === 'command') return { topic, at, payload: event.data.payload, source: `${deviceSource(event.thing)}, received` };
  return { topic: event.kind, at, payload: event.text, source: deviceSource(event.thing), note: true };
}

export class DeviceActivity {
  private readonly running = new Map<string, Set<string>>();
  private readonly reasons = new Map<string, string>();
  private readonly jobTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly relistTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly hooks: DeviceActivityHooks,
    private readonly normalize: (projectUri: string) => string = (uri) => uri,
    private readonly delayMs = 300,
  ) {}

  isRunning(projectUri: string, thing: string): boolean {
    return this.running.get(this.normalize(projectUri))?.has(thing) ?? false;
  }

  /** The things of a project that run, in the order they started. */
  runningThings(projectUri: string): string[] {
    return [...(this.running.get(this.normalize(projectUri)) ?? [])];
  }

  /** Why a device failed or rejected this job, as it said; undefined when it did not. */
  jobReason(jobId: string, thing: string): string | undefined {
    return this.reasons.get(`${jobId}\n${thing}`);
  }

  started(answer: DevicesStarted): void {
    const uri = this.normalize(answer.projectUri);
    const things = this.running.get(uri) ?? new Set<string>();
    for (const thing of answer.things) things.add(thing);
    this.running.set(uri, things);
    this.hooks.runningChanged(uri);
  }

  stopped(answer: DevicesStopped): void {
    const changed = new Set<string>();
    for (const device of answer.stopped) {
      const uri = this.normalize(device.projectUri);
      if (this.running.get(uri)?.delete(device.thing)) changed.add(uri);
    }
    for (const uri of changed) this.hooks.runningChanged(uri);
  }

  /** listDevices' answer for a project: the devices with running: true are the ones that run. */
  listed(projectUri: string, devices: SimulatedDevice[]): void {
    const uri = this.normalize(projectUri);
    const now = new Set(devices.filter((d) => d.running && this.normalize(d.projectUri) === uri).map((d) => d.thing));
    const before = this.running.get(uri) ?? new Set<string>();
    if (now.size === before.size && [...now].every((t) => before.has(t))) return;
    this.running.set(uri, now);
    this.hooks.runningChanged(uri);
  }

  event(event: DeviceEventParams): void {
    const uri = this.normalize(event.projectUri);
    this.hooks.message(deviceEventEntry(event));
    if (event.kind === 'job' && event.jobId) {
      const key = `${event.jobId}\n${event.thing}`;
      const reason = event.data.reason;
      if ((event.status === 'FAILED' || event.status === 'REJECTED') && typeof reason === 'string' && reason) this.reasons.set(key, reason);
      else this.reasons.delete(key);
      this.soon(this.jobTimers, uri, () => this.hooks.jobsMoved(uri));
    }
    if (MAY_END_EVENTS.includes(event.kind)) this.soon(this.relistTimers, uri, () => this.hooks.relist(uri));
  }

  /** The server (re)started: no device of ours runs any more. */
  forgetAll(): void {
    for (const timer of [...this.jobTimers.values(), ...this.relistTimers.values()]) clearTimeout(timer);
    this.jobTimers.clear();
    this.relistTimers.clear();
    const projects = [...this.running.keys()].filter((uri) => this.running.get(uri)!.size > 0);
    this.running.clear();
    for (const uri of projects) this.hooks.runningChanged(uri);
  }

  dispose(): void {
    this.forgetAll();
  }

  private soon(timers: Map<string, ReturnType<typeof setTimeout>>, uri: string, run: () => void): void {
    if (timers.has(uri)) return;
    timers.set(uri, setTimeout(() => {
      timers.delete(uri);
      run();
    }, this.delayMs));
  }
}
