import { Type, type Static } from '@sinclair/typebox';

export const ADMIN_LEVEL = 10;

const Timestamp = (description: string) => Type.String({ format: 'date-time', description });

/** The user entry, fields in the order of the documented example. */
export const UserSchema = Type.Object({
  id: Type.Integer({ description: 'The numeric user ID' }),
  name: Type.String({ description: 'The unique username' }),
  display_name: Type.String({ description: 'The name shown for the user' }),
  level: Type.Integer({
    description: 'The level of the user. (0:community, 5:api_submitter, 7:monthly_limited, 9:unlimited, 10:admin)',
  }),
  created_at: Timestamp('The date the user was created'),
  updated_at: Timestamp('The date the user was last updated'),
  key: Type.String({ description: 'The API key of the user' }),
  email: Type.String({ description: 'The email address of the user' }),
  blocked: Type.Boolean({ description: 'Value will be true when the user is blocked from using the API' }),
  search_count: Type.Integer({ description: 'The amount of searches the user did in the admin console' }),
  timeframed_search_count: Type.Integer({
    description: 'The amount of searches the user did in the admin console today',
  }),
  monthly_limit: Type.Integer({
    description: 'The maxiumum amount of requests per month the user can do (soft limit)',
  }),
  auth_type: Type.String({ description: 'The authentication mechanism used to register' }),
  roles: Type.String({ description: 'Comma delimited list of the roles the user has' }),
  expiration: Type.Union([Timestamp('An expiry date'), Type.Null()], {
    description:
      'The date on which the access of the user expires (only applies to monthly_limited users). null means that the access never expires',
  }),
  timeframed_requests: Type.Integer({
    description: 'The amount of requests the user has performed during the current hour',
  }),
  monthly_requests: Type.Integer({ description: 'The amount of requests the user has performed during the current month' }),
  requests: Type.Integer({ description: 'The amount of total requests the user had performed' }),
});
export type User = Static<typeof UserSchema>;

export const AccountKeyParamsSchema = Type.Object({
  account_key: Type.String({
    description:
      "The API key of the account to read (the page calls it “the device ID”). With no other credential, it is also the caller's key, as in the documented curl.",
  }),
});

export const KeyQuerySchema = Type.Object({
  key: Type.Optional(
    Type.String({
      description: 'Your API key (you can optionally use the Authorization header for improved security)',
      examples: ['68989f507420b6187c7e4fa32245db311efed505'],
    }),
  ),
});

export const ErrorSchema = Type.Object({
  message: Type.String({ description: 'What went wrong' }),
});
export type ErrorBody = Static<typeof ErrorSchema>;
