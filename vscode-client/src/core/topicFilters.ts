/**
 * The Subscribe to Topic prompt's text: MQTT topic filters separated by spaces, checked as AWS IoT
 * checks them (at most 8 per SUBSCRIBE, `+` and `#` each a whole level, `#` only last, at most 256
 * bytes), so a bad filter is refused as you type, before any connection. Pure.
 */

export const MAX_FILTERS = 8;
const MAX_FILTER_BYTES = 256;

export function splitFilters(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

export function topicFiltersProblem(text: string): string | undefined {
  const filters = splitFilters(text);
  if (filters.length === 0) return 'A topic filter is required, e.g. sensor_0/samples, +/samples or #.';
  if (filters.length > MAX_FILTERS) return `At most ${MAX_FILTERS} filters (AWS IoT's limit per subscription); this has ${filters.length}.`;
  for (const filter of filters) {
    if (Buffer.byteLength(filter, 'utf8') > MAX_FILTER_BYTES) return `${filter.slice(0, 20)}…: at most ${MAX_FILTER_BYTES} bytes.`;
    const levels = filter.split('/');
    for (const [i, level] of levels.entries()) {
      if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return `${filter}: # must be a whole level, and the last one (sensor_0/#).`;
      if (level.includes('+') && level !== '+') return `${filter}: + must be a whole level (+/samples).`;
    }
  }
  return undefined;
}
