import { describe, expect, it } from 'vitest';
import { requestFromCurl, shellWords } from './curl.js';

describe('requestFromCurl', () => {
  it('sends --user TOKEN: as HTTP Basic with an empty password', () => {
    expect(requestFromCurl('curl --user AAAXXXXXXXXXXXX: http://h/v3/users')).toEqual({
      method: 'GET',
      url: 'http://h/v3/users',
      headers: { authorization: `Basic ${Buffer.from('AAAXXXXXXXXXXXX:').toString('base64')}` },
    });
  });

  it('reads quoted headers, a quoted URL with a query and -X', () => {
    expect(requestFromCurl(`curl -s -X get -H "X-Auth-Token: a b" --header 'Authorization: Bearer t' 'http://h/u?key=k&x=1'`)).toEqual({
      method: 'GET',
      url: 'http://h/u?key=k&x=1',
      headers: { 'x-auth-token': 'a b', authorization: 'Bearer t' },
    });
  });

  it('refuses options it does not know rather than sending half the request', () => {
    expect(() => requestFromCurl('curl -d x=1 http://h/')).toThrow(/-d not understood/);
    expect(() => requestFromCurl('wget http://h/')).toThrow(/not a curl command/);
    expect(() => requestFromCurl("curl 'http://h/")).toThrow(/unclosed quote/);
  });

  it('splits words as a shell does', () => {
    expect(shellWords(`a "b \\"c\\"" 'd e'f g\\ h`)).toEqual(['a', 'b "c"', 'd ef', 'g h']);
  });
});
