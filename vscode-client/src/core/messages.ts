/**
 * One MQTT message as the Messages view shows it: where it came from (a subscription, as the user
 * or as a thing, or a simulated device that published it), its topic, its time, and its payload
 * pretty-printed when it is JSON. Also the view's filter: an MQTT topic filter (`sensor_+/samples`,
 * `#`) matched against the topic, or else words looked for in the topic, the source and the payload.
 * Pure, tested without VS Code.
 */

export interface MessageEntry {
  /** Increasing, one per message received by the client. */
  seq: number;
  topic: string;
  /** Milliseconds since the epoch. */
  at: number;
  /** The payload as text (UTF-8), or a JSON value a device published. */
  payload: unknown;
  /** Who got or sent it, in words: "you", "as sensor_0", "sensor_0 (simulated)". */
  source: string;
  /** A device event rather than a message on a topic (no topic of its own): shown as a note. */
  note?: boolean;
}

/** What the webview draws for one message: all text, nothing left to compute. */
export interface MessageRow {
  seq: number;
  topic: string;
  time: string;
  source: string;
  body: string;
  json: boolean;
  note: boolean;
}

/** Bodies longer than this are cut (the view stays quick with big payloads). */
export const MAX_BODY_CHARS = 4000;

/** `HH:MM:SS.mmm` in the local time zone. */
export function formatTime(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The payload as shown: JSON (a value, or text that parses as an object or array) indented by 2. */
export function prettyPayload(payload: unknown): { text: string; json: boolean } {
  if (typeof payload === 'string') {
    const trimmed = payload.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
      } catch {
        // not JSON: shown as sent
      }
    }
    return { text: payload, json: false };
  }
  if (payload === undefined) return { text: '', json: false };
  return { text: JSON.stringify(payload, null, 2), json: true };
}

export function toRow(entry: MessageEntry): MessageRow {
  const pretty = prettyPayload(entry.payload);
  const cut = pretty.text.length > MAX_BODY_CHARS;
  return {
    seq: entry.seq,
    topic: entry.topic,
    time: formatTime(entry.at),
    source: entry.source,
    body: cut ? `${pretty.text.slice(0, MAX_BODY_CHARS)}\n… ${pretty.text.length - MAX_BODY_CHARS} more characters` : pretty.text,
    json: pretty.json,
    note: entry.note ?? false,
  };
}

/** Does the MQTT topic filter `filter` (with `+` and `#`) match `topic`? */
export function topicMatches(filter: string, topic: string): boolean {
  const want = filter.split('/');
  const have = topic.split('/');
  for (let i = 0; i < want.length; i++) {
    const level = want[i]!;
    if (level === '#') return i === want.length - 1;
    if (i >= have.length) return false;
    if (level !== '+' && level !== have[i]) return false;
  }
  return want.length === have.length;
}

/** A filter with `+` or `#` and no spaces is an MQTT topic filter; else words. */
export function isTopicFilter(filter: string): boolean {
  return /[+#]/.test(filter) && !/\s/.test(filter);
}

/** Whether an entry passes the view's filter text (empty: everything). */
export function matchesFilter(entry: MessageEntry, filter: string): boolean {
  const text = filter.trim();
  if (!text) return true;
  if (isTopicFilter(text)) return !entry.note && topicMatches(text, entry.topic);
  const haystack = `${entry.topic}\n${entry.source}\n${typeof entry.payload === 'string' ? entry.payload : JSON.stringify(entry.payload)}`.toLowerCase();
  return text.toLowerCase().split(/\s+/).every((word) => haystack.includes(word));
}
