/** Splits a command line as a POSIX shell does for plain words, '…', "…" and backslash escapes. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const unclosed = () => new Error(`unclosed quote in: ${command}`);
  for (let i = 0; i < command.length; i++) {
    const char = command[i]!;
    if (char === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw unclosed();
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      word ??= '';
      for (i++; command[i] !== '"'; i++) {
        if (i >= command.length) throw unclosed();
        if (command[i] === '\\' && '"\\$`'.includes(command[i + 1] ?? '')) i++;
        word += command[i];
      }
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      if (char === '\\' && i + 1 < command.length) i++;
      word = (word ?? '') + command[i];
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

export interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** What `-d` sends, as given (curl then posts unless `-X` says otherwise). */
  body?: string;
}

const QUIET_OPTIONS = new Set(['-s', '--silent', '-S', '--show-error', '-sS', '-i', '--include', '-f', '--fail', '-g', '--globoff']);

/**
 * The request a documented `curl` command sends: URL, method, `-H` headers, `--user` as HTTP Basic
 * and a `-d` body. Options it does not know are refused rather than dropped, so no request is ever
 * half-read.
 */
export function requestFromCurl(command: string): CurlRequest {
  const [program, ...words] = shellWords(command);
  if (program !== 'curl') throw new Error(`not a curl command: ${command}`);
  const request: CurlRequest = { method: 'GET', url: '', headers: {} };
  let method: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const value = () => {
      const next = words[++i];
      if (next === undefined) throw new Error(`${word} without a value in: ${command}`);
      return next;
    };
    if (word === '-u' || word === '--user') {
      const user = value();
      request.headers.authorization = `Basic ${Buffer.from(user.includes(':') ? user : `${user}:`).toString('base64')}`;
    } else if (word === '-H' || word === '--header') {
      const header = value();
      const colon = header.indexOf(':');
      if (colon < 1) throw new Error(`bad header '${header}' in: ${command}`);
      request.headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (word === '-X' || word === '--request') {
      method = value().toUpperCase();
    } else if (word === '-d' || word === '--data' || word === '--data-raw') {
      request.body = value();
    } else if (QUIET_OPTIONS.has(word)) {
      continue;
    } else if (word.startsWith('-')) {
      throw new Error(`curl option ${word} not understood in: ${command}`);
    } else if (request.url === '') {
      request.url = word;
    } else {
      throw new Error(`a second URL in: ${command}`);
    }
  }
  if (request.url === '') throw new Error(`no URL in: ${command}`);
  request.method = method ?? (request.body === undefined ? 'GET' : 'POST');
  return request;
}
