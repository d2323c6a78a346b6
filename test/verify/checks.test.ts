import { describe, expect, it } from 'vitest';
import { type Schema, bodyFindings, firstOfEach } from '../../src/verify/checks.js';

const user: Schema = {
  type: 'object',
  required: ['id', 'expiration'],
  properties: {
    id: { type: 'integer' },
    'a/b~c': { type: 'string' },
    expiration: { anyOf: [{ type: 'string' }, { type: 'object', nullable: true, enum: [null] }] },
    ratio: { type: 'number' },
    props: { type: 'object', additionalProperties: { type: 'string' } },
    tags: { type: 'array', items: { type: 'string' } },
  },
};

describe('bodyFindings', () => {
  it('passes a body of the schema, null where nullable (and only null), an integer where a number is asked', () => {
    expect(bodyFindings({ id: 1, expiration: null, ratio: 2, props: { x: 'y' }, tags: ['a'] }, user)).toEqual([]);
    expect(bodyFindings({ id: 1, expiration: '2030-01-01T00:00:00Z' }, user)).toEqual([]);
    expect(bodyFindings({ id: 1, expiration: {} }, user)).toEqual([{ kind: 'type', pointer: '/expiration', expected: 'string or null', actual: 'object' }]);
  });

  it('names each drift at its JSON pointer, escaping ~ and /', () => {
    expect(bodyFindings({ expiration: 3, 'a/b~c': 1, props: { x: 2 }, tags: ['a', 5], extra: { deep: true } }, user)).toEqual([
      { kind: 'missing', pointer: '/id', expected: 'integer', actual: 'absent' },
      { kind: 'type', pointer: '/expiration', expected: 'string or null', actual: 'integer 3' },
      { kind: 'type', pointer: '/a~1b~0c', expected: 'string', actual: 'integer 1' },
      { kind: 'type', pointer: '/props/x', expected: 'string', actual: 'integer 2' },
      { kind: 'type', pointer: '/tags/1', expected: 'string', actual: 'integer 5' },
      { kind: 'extra', pointer: '/extra', expected: 'absent', actual: 'object' },
    ]);
  });

  it("requires only what the schema requires: a field the mock's own answer shows may be left out", () => {
    expect(bodyFindings({ id: 1, expiration: null }, user, { id: 1, expiration: null, ratio: 0.5 })).toEqual([]);
    expect(bodyFindings({ expiration: null }, user, { id: 1, expiration: null, ratio: 0.5 })).toEqual([
      { kind: 'missing', pointer: '/id', expected: 'integer', actual: 'absent' },
    ]);
  });

  it('reports a field drifting in every item of a list once', () => {
    const list: Schema = { type: 'array', items: user };
    const findings = bodyFindings([{ id: 'a', expiration: null }, { id: 'b', expiration: null }], list);
    expect(findings).toHaveLength(2);
    expect(firstOfEach(findings)).toEqual([{ kind: 'type', pointer: '/0/id', expected: 'integer', actual: 'string "a"' }]);
  });
});
