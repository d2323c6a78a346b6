/** What a credential is shown as in a report or a message. */
export const HIDDEN_CREDENTIAL = '[credential]';

/**
 * The forms a credential travels in: as given, percent-encoded (a path or a query), JSON-escaped
 * (echoed in a body), and as a Basic pair with an empty password (Datafiniti), longest first.
 */
export function credentialTraces(credential: string): string[] {
  const forms = [
    credential,
    encodeURIComponent(credential),
    JSON.stringify(credential).slice(1, -1),
    Buffer.from(`${credential}:`).toString('base64'),
    Buffer.from(credential).toString('base64'),
  ];
  return [...new Set(forms)].filter((form) => form !== '').sort((a, b) => b.length - a.length);
}

/**
 * Shorter credentials are left as they are: replacing one or two letters would blank them out of
 * every word of a report, and so short a value protects nothing.
 */
const MIN_HIDDEN_LENGTH = 4;

/** The text with every trace of the credential replaced by `replacement`. */
export function replaceTraces(text: string, credential: string, replacement: string): string {
  let out = text;
  for (const trace of credentialTraces(credential)) out = out.split(trace).join(replacement);
  return out;
}

/** A run of this many characters of the credential is hidden too: a service that echoes half a key leaks half of it. */
const HIDDEN_PART_LENGTH = 8;

/** The text with every run of at least HIDDEN_PART_LENGTH characters of the credential hidden. */
function withoutParts(text: string, credential: string): string {
  if (credential.length < HIDDEN_PART_LENGTH) return text;
  let out = '';
  for (let i = 0; i < text.length; ) {
    let length = 0;
    while (i + length < text.length && credential.includes(text.slice(i, i + length + 1))) length++;
    if (length >= HIDDEN_PART_LENGTH) {
      out += HIDDEN_CREDENTIAL;
      i += length;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

/**
 * The text with the credential hidden, for a report or a message: whole in any of its forms, or a
 * run of 8 characters or more of it. Its cost grows with the text's length times the credential's:
 * meant for the short strings of a report, not for a whole answer.
 */
export function hideCredential(text: string, credential: string): string {
  return credential.length < MIN_HIDDEN_LENGTH ? text : withoutParts(replaceTraces(text, credential, HIDDEN_CREDENTIAL), credential);
}

/** Every string in a JSON-like value with the credential hidden. */
export function redactedValue<T>(value: T, credential: string): T {
  if (typeof value === 'string') return hideCredential(value, credential) as T;
  if (Array.isArray(value)) return value.map((item) => redactedValue(item, credential)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactedValue(item, credential)])) as T;
  }
  return value;
}

/** Control characters (C0, DEL, C1), line and paragraph separators and bidi overrides, which could forge or hide a line. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text as one printable line: each control character written as an escape (`\n`, `\u001b`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
