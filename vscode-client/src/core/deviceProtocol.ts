/**
 * The client's side of the contract for simulated devices and topic subscriptions (issue 12):
 * params and results of zaws/startDevices, stopDevices, listDevices, checkDevice, subscribe and
 * unsubscribe, and the notifications zaws/deviceEvent, zaws/message and zaws/subscriptionEnded.
 * protocol.ts puts the methods in its RequestMap; test/contract.test.ts checks both files against
 * protocol/openrpc.json. Pure types and constants.
 */
import type { Method, ProjectUri } from './protocol';

/** The methods of this file (in protocol.ts's RequestMap; METHODS there lists the others). */
export const DEVICE_METHODS: readonly Method[] = ['zaws/startDevices', 'zaws/stopDevices', 'zaws/listDevices', 'zaws/checkDevice', 'zaws/subscribe', 'zaws/unsubscribe'];

export type FotaResult = 'succeed' | 'fail-md5' | 'reject';
export const FOTA_RESULTS: readonly FotaResult[] = ['succeed', 'fail-md5', 'reject'];

export type DeviceEventKind =
  | 'connected'
  | 'subscribed'
  | 'refused'
  | 'published'
  | 'command'
  | 'shadow'
  | 'job'
  | 'downloaded'
  | 'reset'
  | 'timeout'
  | 'note'
  | 'error'
  | 'disconnected';

export interface StartDevicesParams {
  projectUri: ProjectUri;
  /** Without thingNames and allThings: the active thing. */
  thingNames?: string[];
  allThings?: boolean;
  /** Seconds between two samples (5 by default). */
  every?: number;
  fotaResult?: FotaResult;
}

export interface DevicesStarted {
  sessionId: string;
  projectUri: ProjectUri;
  things: string[];
  every: number;
  fotaResult: FotaResult;
}

/** Exactly one of sessionId, projectUri (with thingNames or not) and all. */
export interface StopDevicesParams {
  sessionId?: string;
  projectUri?: ProjectUri;
  thingNames?: string[];
  all?: boolean;
}

export interface SimulatedDevice {
  sessionId: string;
  projectUri: ProjectUri;
  thing: string;
  running: boolean;
  every: number;
  fotaResult: FotaResult;
  startedAt: string;
  lastEvent: DeviceEventKind | null;
  lastText: string | null;
  lastTime: string | null;
}

export interface DevicesStopped {
  stopped: SimulatedDevice[];
}

export interface ListDevicesParams {
  projectUri?: ProjectUri;
}

export interface DeviceList {
  devices: SimulatedDevice[];
}

export interface CheckDeviceParams {
  projectUri: ProjectUri;
  /** Default: the active thing. */
  thingName?: string;
}

export interface DeviceCheckStep {
  name: 'connect' | 'samples' | 'commands' | 'jobs' | 'shadow';
  ok: boolean;
  words: string;
  /** On the emulator: the policy's refusals that explain a failure. */
  why: string[];
}

export interface DeviceCheck {
  thing: string;
  clientId: string;
  endpoint: string;
  ok: boolean;
  steps: DeviceCheckStep[];
  authorization: string[];
}

export interface SubscribeParams {
  projectUri: ProjectUri;
  /** At most 8. */
  filters: string[];
  /** Connect as this thing instead of the user's AWS identity. */
  thingName?: string;
  qos?: 0 | 1;
}

export interface Subscribed {
  subscriptionId: string;
  projectUri: ProjectUri;
  clientId: string;
  /** "thing NAME" or the user's AWS identity, in words. */
  identity: string;
  endpoint: string;
  subscriptions: { filter: string; grantedQos: number }[];
}

export interface UnsubscribeParams {
  subscriptionId: string;
}

export interface Unsubscribed {
  subscriptionId: string;
  received: number;
  seconds: number;
}

/** Server -> client: something a simulated device did or suffered. */
export const DEVICE_EVENT = 'zaws/deviceEvent';
export interface DeviceEventParams {
  sessionId: string;
  projectUri: ProjectUri;
  thing: string;
  kind: DeviceEventKind;
  text: string;
  /** ISO 8601. */
  time: string;
  /** Job events only. */
  jobId?: string;
  status?: string;
  /** The event's facts, camelCase: topic and payload of a `published`, reason of a failed job... */
  data: Record<string, unknown>;
}

/** Server -> client: a message on a subscription. */
export const MESSAGE = 'zaws/message';
export interface MessageParams {
  subscriptionId: string;
  topic: string;
  /** Null when not UTF-8 (then payloadBase64). */
  payloadText: string | null;
  payloadJson?: unknown;
  payloadBase64?: string;
  size: number;
  qos: number;
  retain: boolean;
  time: string;
}

/** Server -> client: the broker closed a subscription's connection; its id is forgotten. */
export const SUBSCRIPTION_ENDED = 'zaws/subscriptionEnded';
export interface SubscriptionEndedParams {
  subscriptionId: string;
  received: number;
  error: { code: string; message: string; hint: string | null };
}

/** Event kinds after which a device may have stopped (a reset also disconnects): ask listDevices. */
export const MAY_END_EVENTS: readonly DeviceEventKind[] = ['error', 'disconnected'];
