/**
 * Input checks for the prompts, run as the user types. Each returns undefined when the text is
 * acceptable, else the message to show under the input box. The rules are AWS's (thing names,
 * S3 buckets, IAM roles, job durations), so a bad value is refused before any request.
 */

export type Check = (text: string) => string | undefined;

const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const HOST_LABEL = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

export const MAX_THINGS_PER_REQUEST = 1000;
export const FOTA_DURATION_MIN = 60;
export const FOTA_DURATION_MAX = 3600;

export function thingName(text: string): string | undefined {
  if (text.length === 0) return 'A thing name is required.';
  if (text.length > 128) return `At most 128 characters (this has ${text.length}).`;
  if (!THING_NAME.test(text)) {
    return 'Only letters, digits and the characters : _ - are allowed.';
  }
  return undefined;
}

/**
 * A base name becomes `<base>_<index>`: leave room for the suffix so every generated name stays a
 * valid thing name. Empty is allowed when the project already has things (the server reuses its base).
 */
export function baseName(text: string, options: { required: boolean; nextIndex?: number; count?: number }): string | undefined {
  if (text.length === 0) {
    return options.required ? 'The project has no things yet: a base name is required.' : undefined;
  }
  const lastIndex = (options.nextIndex ?? 0) + Math.max((options.count ?? 1) - 1, 0);
  const suffix = `_${lastIndex}`.length;
  const problem = thingName(text);
  if (problem) return problem;
  if (text.length + suffix > 128) {
    return `Too long: names end with "_${lastIndex}", so the base can have at most ${128 - suffix} characters.`;
  }
  return undefined;
}

function integerIn(text: string, min: number, max: number, what: string): string | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return `${what} must be a whole number from ${min} to ${max}.`;
  const value = Number(trimmed);
  if (value < min || value > max) return `${what} must be from ${min} to ${max}.`;
  return undefined;
}

export function thingCount(text: string, max = MAX_THINGS_PER_REQUEST): string | undefined {
  return integerIn(text, 1, max, 'The number of things');
}

export function fotaDuration(text: string): string | undefined {
  return integerIn(text, FOTA_DURATION_MIN, FOTA_DURATION_MAX, 'The duration in seconds');
}

export function projectName(text: string): string | undefined {
  if (text.trim().length === 0) return 'A project name is required.';
  if (text !== text.trim()) return 'No leading or trailing spaces.';
  if (text === '.' || text === '..') return 'Not a valid folder name.';
  if (text.length > 255) return 'At most 255 characters.';
  // eslint-disable-next-line no-control-regex
  if (/[/\\:*?"<>|\u0000-\u001f]/.test(text)) return 'Not allowed in a folder name: / \\ : * ? " < > | and control characters.';
  return undefined;
}

export function policyName(text: string): string | undefined {
  if (text.length === 0) return 'A policy name is required.';
  if (!POLICY_NAME.test(text)) return 'Up to 128 letters, digits and the characters + = , . @ _ -';
  return undefined;
}

export function optionalPolicyName(text: string): string | undefined {
  return text.length === 0 ? undefined : policyName(text);
}

export function bucketName(text: string): string | undefined {
  if (text.length < 3 || text.length > 63) return 'A bucket name has 3 to 63 characters.';
  if (!BUCKET.test(text)) return 'Lowercase letters, digits, dots and hyphens; starts and ends with a letter or digit.';
  if (text.includes('..')) return 'No two dots in a row.';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) return 'A bucket name cannot look like an IP address.';
  return undefined;
}

export function roleName(text: string): string | undefined {
  if (text.length === 0) return 'A role name or ARN is required.';
  if (ROLE_NAME.test(text) || ROLE_ARN.test(text)) return undefined;
  return 'An IAM role name (up to 64 of letters, digits, + = , . @ _ -) or a role ARN.';
}

/** The AWS IoT data endpoint is a host name (no scheme, no path); empty lets the server look it up. */
export function endpoint(text: string): string | undefined {
  if (text.length === 0) return undefined;
  if (/^[a-z]+:\/\//i.test(text)) return 'A host name only, without https://';
  if (text.length > 253) return 'A host name has at most 253 characters.';
  const labels = text.split('.');
  if (labels.length < 2 || !labels.every((label) => HOST_LABEL.test(label))) return 'Not a valid host name.';
  return undefined;
}

export const ROLLOUT_RATE_MAX = 1000;

/** Things notified per minute (AWS's maximumPerMinute, 1-1000); empty means no limit. */
export function optionalRolloutRate(text: string): string | undefined {
  return text.trim() === '' ? undefined : integerIn(text, 1, ROLLOUT_RATE_MAX, 'The rollout rate');
}
