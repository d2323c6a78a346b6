import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../http/string-enum.js';

const Timestamp = Type.Union([Type.Integer(), Type.String()], {
  description: 'Epoch seconds (timestamp_format=int, the default) or "YYYY/MM/DD HH:MM:SS" UTC (timestamp_format=str)',
});

/** A user as stored. `tags` and `user_defined_properties` are searchable and shown only when set. */
export const StoredUserSchema = Type.Object({
  address: Type.String(),
  city: Type.String(),
  confirmed_at: Type.String({ description: 'When the user confirmed the account (ISO 8601)' }),
  country: Type.String(),
  email: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  phone: Type.String(),
  role: Type.String(),
  time_zone: Type.String(),
  user_key: Type.String({ description: 'Uniquely identifies a user in every other API' }),
  created_at: Type.Integer({ description: 'Epoch seconds' }),
  updated_at: Type.Integer({ description: 'Epoch seconds' }),
  role_name: Type.String(),
  role_key: Type.String(),
  tags: Type.Optional(Type.Array(Type.String())),
  user_defined_properties: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export type StoredUser = Static<typeof StoredUserSchema>;

/** The fields a client may name in order_by and field_list. */
export const USER_FIELDS = Object.keys(StoredUserSchema.properties) as (keyof StoredUser)[];

/** A user as answered: every field optional, since field_list may ask for any subset. */
const UserSchema = Type.Partial(
  Type.Object({
    ...StoredUserSchema.properties,
    created_at: Timestamp,
    updated_at: Timestamp,
  }),
);
export type User = Static<typeof UserSchema>;

export const UsersResponseSchema = Type.Object({
  total_count: Type.Integer({ description: 'Users matching the criteria, across all pages' }),
  page: Type.Union([Type.Integer(), Type.String()], {
    description: 'The page returned, echoed in the type in which it was sent (1 when not sent)',
  }),
  users: Type.Array(UserSchema),
});
export type UsersResponse = Static<typeof UsersResponseSchema>;

/** The documented parameters, sent in the query string or as a JSON body on the GET. */
export const UsersQuerySchema = Type.Object({
  page: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'Page number of results to be fetched, Default 1' }),
  ),
  per: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'Number of users to be returned in one page, Default 20' }),
  ),
  order_by: Type.Optional(
    StringEnum(USER_FIELDS, { description: 'Field on which users should be sorted' }),
  ),
  order: Type.Optional(
    StringEnum(['asc', 'desc'], {
      description: 'Order, "asc" or "desc", in which results should be sorted',
    }),
  ),
  search: Type.Optional(
    Type.String({
      maxLength: 1000,
      description:
        'Keywords based on which users should be searched. Currently you can search users on - user_key, name, tags or user_defined_properties',
    }),
  ),
  scope: Type.Optional(
    StringEnum(['all', 'any'], {
      description: 'Matching condition if multiple keywords are specified for search. Default is "all"',
    }),
  ),
  timestamp_format: Type.Optional(
    StringEnum(['str', 'int'], {
      description: 'Format, "str" or "int", in which timestamps should be returned, Default "int"',
    }),
  ),
  pretty: Type.Optional(Type.Boolean({ description: 'Return a pretty formatted response if true, Default is false' })),
  field_list: Type.Optional(
    Type.Array(Type.String(), {
      maxItems: 100,
      description: 'List of fields required in the result (repeat the parameter, or separate names with commas)',
    }),
  ),
  is_oem: Type.Optional(Type.Boolean({ description: 'Return users of child account if is_oem flag is true' })),
  child_organisation_key: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Organisation key of child account. Required field if is_oem is present.',
    }),
  ),
});
export type UsersQuery = Static<typeof UsersQuerySchema>;

export const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.Integer({ description: 'The HTTP status' }),
    message: Type.String({ description: 'What went wrong' }),
  }),
});
export type ErrorBody = Static<typeof ErrorSchema>;
