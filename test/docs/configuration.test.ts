import type { TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { helpText } from '../../src/command-line.js';
import { ConfigSchema, ENVIRONMENT } from '../../src/config.js';
import { section, tableRows } from './markdown.js';

const settings: Record<string, TSchema & { default?: unknown; anyOf?: TSchema[] }> = ConfigSchema.properties;
const variables = Object.fromEntries(Object.entries(ENVIRONMENT).map(([name, key]) => [key, name]));
const rows = tableRows(section('README.md', 'Configuration'));
const code = (text: string) => `\`${text}\``;

describe("the README's configuration table, against the configuration schema", () => {
  it('has one row per setting, and a row only for a setting', () => {
    expect(rows.length).toBe(Object.keys(settings).length);
  });

  it.each(Object.entries(settings))('%s: its flag, its variable, its default and its values', (key, schema) => {
    const flag = `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
    const row = rows.find(([cell]) => cell === code(flag));
    expect(row, `no row for ${flag}`).toBeDefined();
    const [, variable = '', defaultCell = ''] = row!;
    // a flag with a short form is listed after it: `-p, --port <value>`
    expect(helpText()).toMatch(new RegExp(`(  |, )${flag} <value>`));
    expect(variable).toBe(code(variables[key]!));
    if (schema.default === undefined) expect(defaultCell).toMatch(/^none\b/);
    else expect(defaultCell.startsWith(code(String(schema.default))), defaultCell).toBe(true);
    for (const literal of schema.anyOf?.map((member) => member.const as unknown) ?? []) expect(row!.join(' ')).toContain(code(String(literal)));
  });
});
