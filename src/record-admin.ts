import { type TObject, type TSchema, Type } from '@sinclair/typebox';
import { type Step, andThen } from './state/step.js';

/** A slice of a listing, as the control plane pages it. */
export interface PageRequest {
  page: number;
  per: number;
}

export interface Listing {
  total: number;
  items: unknown[];
}

/**
 * One kind of record a provider lets the control plane manage (its accounts, or the users inside an
 * account), through schemas and plain functions: the control plane never sees the store's insides.
 * `parent` is the account id for users, and absent for accounts. A function answers undefined when
 * the record (or its parent) does not exist, and throws MockHttpError for a conflict or a limit.
 */
export interface RecordAdmin<S, Create extends TObject = TObject, Patch extends TObject = TObject, View extends TSchema = TSchema> {
  /** The field of the view that identifies a record in control-plane paths. */
  idField: string;
  /** What a client sends to create one; missing fields are generated. */
  create: Create;
  /** What a client sends to change one: every field optional. */
  patch: Patch;
  /** How one is shown. */
  view: View;
  list(store: S, page: PageRequest, parent?: string): Step<Listing | undefined>;
  get(store: S, id: string, parent?: string): Step<unknown>;
  add(store: S, input: Record<string, unknown>, parent?: string): Step<unknown>;
  change(store: S, id: string, patch: Record<string, unknown>, parent?: string): Step<unknown>;
  remove(store: S, id: string, parent?: string): Step<boolean | undefined>;
  /** Adds `count` generated records; answers how many the parent now holds. */
  generate?(store: S, count: number, parent?: string): Step<number | undefined>;
}

export interface ProviderAdmin<S> {
  accounts: RecordAdmin<S>;
  users?: RecordAdmin<S>;
}

/** Slices `items` for a page. */
export function pageOf<T>(items: readonly T[], { page, per }: PageRequest): Listing {
  return { total: items.length, items: items.slice((page - 1) * per, page * per) };
}

/** Records that can be read a slice at a time, without listing them all. */
export interface Sliceable<T> {
  readonly size: number;
  slice(start: number, limit: number): Step<T[]>;
}

/** One page of records read a slice at a time. */
export function pageOfSlices<T>(records: Sliceable<T>, { page, per }: PageRequest): Step<Listing> {
  const start = (page - 1) * per;
  const total = records.size;
  return start >= total ? { total, items: [] } : andThen(records.slice(start, per), (items) => ({ total, items }));
}

/** A create schema from a record schema: every field optional (missing ones are generated). */
export function creatable<T extends TObject>(schema: T) {
  return Type.Partial(schema, { additionalProperties: false });
}
